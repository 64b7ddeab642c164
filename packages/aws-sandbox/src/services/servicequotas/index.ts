import { z } from 'zod';
import { AwsError } from '../../errors';
import { OrganizationRecord, PrincipalRecord } from '../../state/model';
import { SandboxState } from '../../state/SandboxState';
import { page } from '../paging';
import { CallContext, operation, ServiceDefinition } from '../types';
import { QuotaDefinition, QUOTA_SERVICES, QuotaService } from './catalog';
import { quotaErrors } from './errors';

export { ACCOUNT_QUOTA_CODE, ACCOUNT_QUOTA_NAME } from './catalog';

/** Service Quotas' default and largest page. */
const PAGE_SIZE = 100;

const serviceCode = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-zA-Z][a-zA-Z0-9-]{1,63}$/, 'must be a service code');
const quotaCode = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z][a-zA-Z0-9-]{1,128}$/, 'must be a quota code');

/** Whether the seed refused Service Quotas to the caller: the user itself, or the role of the session. */
function deniedTo(state: SandboxState, caller: PrincipalRecord): boolean {
  if (caller.type === 'user') {
    return caller.deniedServices?.includes('servicequotas') ?? false;
  }
  const roles = state.accounts.get(caller.accountId)?.roles ?? {};
  const role = Object.values(roles).find(r => r.arn === caller.roleArn);
  return role?.deniedServices?.includes('servicequotas') ?? false;
}

function assertAllowed(ctx: CallContext, operationName: string): void {
  if (deniedTo(ctx.sandbox.state, ctx.caller)) {
    throw quotaErrors.accessDenied(ctx.caller.arn, operationName);
  }
}

function quotaService(code: string): QuotaService {
  const service = Object.prototype.hasOwnProperty.call(QUOTA_SERVICES, code)
    ? QUOTA_SERVICES[code]
    : undefined;
  if (!service) {
    throw quotaErrors.illegalArgument(`Invalid service code: ${code}`);
  }
  return service;
}

function findQuota(
  service: QuotaService,
  serviceCodeValue: string,
  code: string,
): QuotaDefinition {
  const quota = service.quotas.find(q => q.code === code);
  if (!quota) {
    throw quotaErrors.noSuchResource(
      `The request failed because the specified service quota ${serviceCodeValue}/${code} does not exist.`,
    );
  }
  return quota;
}

/** The organization of the calling account: the one whose quotas it sees. */
function callerOrganization(ctx: CallContext): OrganizationRecord | undefined {
  const { state } = ctx.sandbox;
  const organizationId = state.accounts.get(
    ctx.caller.accountId,
  )?.organizationId;
  return organizationId ? state.organizations.get(organizationId) : undefined;
}

/** A quota as the ServiceQuota shape has it, with its value for the caller. */
function quotaShape(
  ctx: CallContext,
  serviceCodeValue: string,
  service: QuotaService,
  quota: QuotaDefinition,
) {
  return {
    ServiceCode: serviceCodeValue,
    ServiceName: service.name,
    QuotaArn: `arn:aws:servicequotas:${service.region}:${ctx.caller.accountId}:${serviceCodeValue}/${quota.code}`,
    QuotaCode: quota.code,
    QuotaName: quota.name,
    Description: quota.description,
    Value: quota.value(callerOrganization(ctx)),
    Unit: 'None',
    Adjustable: quota.adjustable,
    GlobalQuota: false,
    QuotaAppliedAtLevel: 'ACCOUNT',
  };
}

// Service Quotas' tokens are standard base64; the shared pager makes base64url ones.
const toWireToken = (token: string | undefined) =>
  token && Buffer.from(token, 'base64url').toString('base64');
const fromWireToken = (token: string | undefined) =>
  token && Buffer.from(token, 'base64').toString('base64url');

/** AWS Service Quotas, in the JSON 1.1 protocol: the quotas of the services the sandbox emulates. */
export const serviceQuotasService: ServiceDefinition = {
  name: 'servicequotas',
  throttled: false,
  operations: {
    ListServiceQuotas: operation({
      mutating: false,
      input: z.object({
        ServiceCode: serviceCode,
        QuotaCode: quotaCode.optional(),
        QuotaAppliedAtLevel: z.enum(['ACCOUNT', 'RESOURCE', 'ALL']).optional(),
        NextToken: z
          .string()
          .max(2048)
          .regex(/^[a-zA-Z0-9/+]*={0,2}$/, 'must be a pagination token')
          .optional(),
        MaxResults: z.number().int().min(1).max(100).optional(),
      }),
      handle(ctx, input) {
        assertAllowed(ctx, 'ListServiceQuotas');
        const service = quotaService(input.ServiceCode);
        const quotas = input.QuotaCode
          ? [findQuota(service, input.ServiceCode, input.QuotaCode)]
          : service.quotas;
        const listed = page(
          quotas,
          `servicequotas:${input.ServiceCode}:${input.QuotaCode ?? ''}`,
          fromWireToken(input.NextToken),
          input.MaxResults ?? PAGE_SIZE,
          quotaErrors.invalidToken,
        );
        return {
          Quotas: listed.items.map(q =>
            quotaShape(ctx, input.ServiceCode, service, q),
          ),
          NextToken: toWireToken(listed.nextToken),
        };
      },
    }),
    GetServiceQuota: operation({
      mutating: false,
      input: z.object({
        ServiceCode: serviceCode,
        QuotaCode: quotaCode,
        ContextId: z.string().optional(),
      }),
      handle(ctx, input) {
        assertAllowed(ctx, 'GetServiceQuota');
        const service = quotaService(input.ServiceCode);
        const quota = findQuota(service, input.ServiceCode, input.QuotaCode);
        return { Quota: quotaShape(ctx, input.ServiceCode, service, quota) };
      },
    }),
  },
  unknownOperation: name =>
    new AwsError(
      'UnknownOperationException',
      `The operation ${name} is not supported.`,
    ),
  invalidInput: message => quotaErrors.illegalArgument(message),
  unknownCredentials: () =>
    new AwsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ),
  expiredCredentials: () =>
    new AwsError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
    ),
  throttledError: () =>
    new AwsError('TooManyRequestsException', 'Rate exceeded'),
};
