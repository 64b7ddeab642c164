import { z } from 'zod';
import { trustAllows } from '../auth/trust';
import { AwsError } from '../errors';
import { ids } from '../ids';
import { CredentialRecord } from '../state/model';
import { queryServiceErrors } from '../protocols/queryErrors';
import { own } from './iam/entities';
import { operation, ServiceDefinition } from './types';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

// Role chaining caps a session at one hour, whatever the role allows.
const CHAINED_SESSION_LIMIT_SECONDS = 3600;
const ROLE_ARN =
  /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;

const validationError = (message: string) =>
  new AwsError('ValidationError', message);

const accessDenied = (callerArn: string, roleArn: string) =>
  new AwsError(
    'AccessDenied',
    `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );

/** AWS STS, in the Query protocol. */
export const stsService: ServiceDefinition = {
  name: 'sts',
  throttled: false,
  operations: {
    GetCallerIdentity: operation({
      mutating: false,
      input: z.object({}),
      handle: ctx => ({
        Arn: ctx.caller.arn,
        UserId: ctx.caller.userId,
        Account: ctx.caller.accountId,
      }),
    }),
    AssumeRole: operation({
      mutating: true,
      input: z.object({
        RoleArn: z.string().min(20).max(2048),
        RoleSessionName: z
          .string()
          .regex(
            /^[\w+=,.@-]{2,64}$/,
            'must be 2 to 64 letters, digits or +=,.@_-',
          ),
        DurationSeconds: z.coerce.number().int().min(900).max(43200).optional(),
        ExternalId: z
          .string()
          .regex(
            /^[\w+=,.@:/-]{2,1224}$/,
            'must be 2 to 1224 characters of [\\w+=,.@:/-]',
          )
          .optional(),
        Policy: z.string().optional(),
        Tags: z
          .array(
            z.object({
              Key: z.string().min(1).max(128),
              Value: z.string().max(256),
            }),
          )
          .max(50)
          .optional(),
        TransitiveTagKeys: z.array(z.string()).optional(),
        SourceIdentity: z.string().optional(),
      }),
      handle(ctx, input) {
        const { state } = ctx.sandbox;
        const match = ROLE_ARN.exec(input.RoleArn);
        if (!match) {
          throw validationError(
            `RoleArn: ${input.RoleArn} is not a valid role ARN`,
          );
        }
        const [, accountId, roleName] = match;
        const account = state.accounts.get(accountId);
        const role = account ? own(account.roles, roleName) : undefined;
        // AWS does not say whether the role is missing, still being made, or distrusts the caller.
        if (
          !account ||
          !role ||
          role.arn !== input.RoleArn ||
          account.status !== 'ACTIVE' ||
          ctx.now < account.assumableAt ||
          !trustAllows(role.trustPolicy, {
            caller: ctx.caller,
            callerOrgPath: state.orgPath(ctx.caller.accountId),
            callerOrgId: state.accounts.get(ctx.caller.accountId)
              ?.organizationId,
            externalId: input.ExternalId,
          })
        ) {
          throw accessDenied(ctx.caller.arn, input.RoleArn);
        }
        const chained = ctx.caller.type === 'assumed-role';
        const duration = input.DurationSeconds ?? 3600;
        if (chained && duration > CHAINED_SESSION_LIMIT_SECONDS) {
          throw validationError(
            'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
          );
        }
        if (duration > role.maxSessionDuration) {
          throw validationError(
            'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
          );
        }
        const credentials: CredentialRecord = {
          accessKeyId: ids.sessionAccessKey(),
          secretAccessKey: ids.secret(),
          sessionToken: ids.sessionToken(),
          expiresAt: ctx.now + duration * 1000,
          principal: {
            type: 'assumed-role',
            accountId,
            arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${input.RoleSessionName}`,
            userId: `${role.id}:${input.RoleSessionName}`,
            roleArn: role.arn,
            sessionName: input.RoleSessionName,
          },
        };
        state.credentials.set(credentials.accessKeyId, credentials);
        return {
          Credentials: {
            AccessKeyId: credentials.accessKeyId,
            SecretAccessKey: credentials.secretAccessKey,
            SessionToken: credentials.sessionToken,
            Expiration: new Date(credentials.expiresAt!).toISOString(),
          },
          AssumedRoleUser: {
            AssumedRoleId: credentials.principal.userId,
            Arn: credentials.principal.arn,
          },
          PackedPolicySize: input.Tags?.length
            ? Math.min(100, input.Tags.length * 2)
            : undefined,
        };
      },
    }),
  },
  ...queryServiceErrors('2011-06-15'),
  invalidInput: message => validationError(message),
};
