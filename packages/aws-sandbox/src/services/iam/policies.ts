import { z } from 'zod';
import { ids } from '../../ids';
import {
  AccountRecord,
  PolicyRecord,
  PolicyVersionRecord,
} from '../../state/model';
import { CallContext, operation } from '../types';
import { checkPolicyDocument } from './documents';
import { callerAccount, findByName } from './entities';
import { iamErrors } from './errors';
import { listPage } from './listing';
import {
  awsManagedPolicyId,
  customerPolicy,
  customerPolicyArn,
  parsePolicyArn,
  policyUsage,
} from './managedPolicies';
import { checkManagedPolicySize, checkRoomForVersion } from './quotas';
import { shapes } from './shapes';
import { withTags } from './tags';
import { inputs, pagingInput } from './validation';

/** @throws MalformedPolicyDocument or LimitExceeded for a managed policy document IAM would refuse. */
function checkManagedPolicy(document: string): void {
  checkPolicyDocument(document, 'permissions');
  checkManagedPolicySize(document);
}

/**
 * A customer managed policy of the caller's account whose versions are to be read.
 * The sandbox knows AWS managed policies only by their ARNs, not their documents.
 */
function readablePolicy(ctx: CallContext, policyArn: string): PolicyRecord {
  return customerPolicy(callerAccount(ctx), policyArn, () =>
    iamErrors.noSuchEntity(
      `Policy ${policyArn} is AWS managed; the sandbox does not carry the versions of AWS managed policies.`,
    ),
  );
}

/** A customer managed policy of the caller's account to change: AWS managed ones belong to AWS. */
function changeablePolicy(
  ctx: CallContext,
  policyArn: string,
  action: string,
): PolicyRecord {
  return customerPolicy(callerAccount(ctx), policyArn, () =>
    iamErrors.accessDenied(
      `User: ${ctx.caller.arn} is not authorized to perform: iam:${action} on resource: policy ${policyArn}`,
    ),
  );
}

function findVersion(
  policy: PolicyRecord,
  versionId: string,
): PolicyVersionRecord {
  const version = policy.versions.find(v => v.id === versionId);
  if (!version) throw iamErrors.noSuchPolicyVersion(policy.arn, versionId);
  return version;
}

/** A customer managed policy with its first version, v1, as its default. */
function newPolicy(
  account: AccountRecord,
  input: {
    name: string;
    path: string;
    document: string;
    description?: string;
    tags: PolicyRecord['tags'];
  },
  now: number,
): PolicyRecord {
  return {
    name: input.name,
    id: ids.policyId(),
    arn: customerPolicyArn(account.id, input.path, input.name),
    path: input.path,
    description: input.description,
    createdAt: now,
    updatedAt: now,
    defaultVersionId: 'v1',
    versions: [{ id: 'v1', document: input.document, createdAt: now }],
    nextVersion: 2,
    tags: input.tags,
  };
}

/** Customer managed policies and their versions. */
export const policyOperations = {
  CreatePolicy: operation({
    mutating: true,
    input: z.object({
      PolicyName: inputs.policyName,
      Path: inputs.policyPath.optional(),
      PolicyDocument: inputs.policyDocument,
      Description: inputs.description.optional(),
      Tags: inputs.tags.optional(),
    }),
    handle(ctx, input) {
      const account = callerAccount(ctx);
      checkManagedPolicy(input.PolicyDocument);
      // Policy names are unique in an account whatever their paths.
      if (findByName(Object.values(account.policies), input.PolicyName)) {
        throw iamErrors.entityAlreadyExists(
          `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`,
        );
      }
      const policy = newPolicy(
        account,
        {
          name: input.PolicyName,
          path: input.Path ?? '/',
          document: input.PolicyDocument,
          description: input.Description,
          tags: withTags({}, input.Tags ?? []),
        },
        ctx.now,
      );
      account.policies[policy.arn] = policy;
      return {
        Policy: shapes.policy(policy, policyUsage(account, policy.arn)),
      };
    },
  }),

  GetPolicy: operation({
    mutating: false,
    input: z.object({ PolicyArn: inputs.arn }),
    handle(ctx, input) {
      const account = callerAccount(ctx);
      const arn = parsePolicyArn(input.PolicyArn);
      const usage = policyUsage(account, arn.arn);
      if (arn.awsManaged) {
        // Any well-formed AWS managed ARN is taken to exist: the sandbox does not carry AWS's catalog.
        return {
          Policy: shapes.awsManagedPolicy(
            arn,
            awsManagedPolicyId(arn.arn),
            usage,
          ),
        };
      }
      return { Policy: shapes.policy(readablePolicy(ctx, arn.arn), usage) };
    },
  }),

  GetPolicyVersion: operation({
    mutating: false,
    input: z.object({ PolicyArn: inputs.arn, VersionId: inputs.versionId }),
    handle(ctx, input) {
      const policy = readablePolicy(ctx, input.PolicyArn);
      const version = findVersion(policy, input.VersionId);
      return {
        PolicyVersion: shapes.policyVersion(version, policy, {
          withDocument: true,
        }),
      };
    },
  }),

  CreatePolicyVersion: operation({
    mutating: true,
    input: z.object({
      PolicyArn: inputs.arn,
      PolicyDocument: inputs.policyDocument,
      SetAsDefault: inputs.flag.optional(),
    }),
    handle(ctx, input) {
      const policy = changeablePolicy(
        ctx,
        input.PolicyArn,
        'CreatePolicyVersion',
      );
      checkManagedPolicy(input.PolicyDocument);
      checkRoomForVersion(policy);
      // Version ids are never reused: after v1..v5 and deleting v2, the next is v6.
      const version = {
        id: `v${policy.nextVersion}`,
        document: input.PolicyDocument,
        createdAt: ctx.now,
      };
      policy.nextVersion += 1;
      policy.versions.push(version);
      if (input.SetAsDefault) policy.defaultVersionId = version.id;
      // IAM's UpdateDate is when the newest version was created.
      policy.updatedAt = ctx.now;
      return {
        PolicyVersion: shapes.policyVersion(version, policy, {
          withDocument: false,
        }),
      };
    },
  }),

  DeletePolicyVersion: operation({
    mutating: true,
    input: z.object({ PolicyArn: inputs.arn, VersionId: inputs.versionId }),
    handle(ctx, input) {
      const policy = changeablePolicy(
        ctx,
        input.PolicyArn,
        'DeletePolicyVersion',
      );
      const version = findVersion(policy, input.VersionId);
      if (version.id === policy.defaultVersionId) {
        throw iamErrors.deleteConflict(
          'Cannot delete the default version of a policy.',
        );
      }
      policy.versions = policy.versions.filter(v => v !== version);
      return undefined;
    },
  }),

  ListPolicyVersions: operation({
    mutating: false,
    input: z.object({ PolicyArn: inputs.arn, ...pagingInput }),
    handle(ctx, input) {
      const policy = readablePolicy(ctx, input.PolicyArn);
      // IAM lists the newest version first.
      const versions = [...policy.versions]
        .reverse()
        .map(version =>
          shapes.policyVersion(version, policy, { withDocument: false }),
        );
      return listPage(
        'Versions',
        versions,
        `policy-versions/${policy.id}`,
        input,
      );
    },
  }),
};
