import {
  PolicyRecord,
  PolicyVersionRecord,
  RoleRecord,
  Tags,
} from '../../state/model';
import { xmlList } from '../../protocols/query';
import { PolicyArn, PolicyUsage } from './managedPolicies';

/**
 * The shapes of IAM's results, as its API model names their members, ready for
 * the Query protocol's XML. Members left undefined are left out of the XML, as
 * IAM leaves out members that have no value.
 */

/** Timestamps in IAM's XML are ISO 8601. */
const isoDate = (ms: number) => new Date(ms).toISOString();

/** IAM returns policy documents URL-encoded; the SDK hands them over still encoded. */
export const encodeDocument = (document: string) =>
  encodeURIComponent(document);

const tagList = (tags: Tags) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export const shapes = {
  tags: tagList,

  role: (role: RoleRecord) => {
    const tags = tagList(role.tags);
    return {
      Path: role.path,
      RoleName: role.name,
      RoleId: role.id,
      Arn: role.arn,
      CreateDate: isoDate(role.createdAt),
      AssumeRolePolicyDocument: encodeDocument(role.trustPolicy),
      Description: role.description,
      MaxSessionDuration: role.maxSessionDuration,
      PermissionsBoundary: role.permissionsBoundaryArn
        ? {
            PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
            PermissionsBoundaryArn: role.permissionsBoundaryArn,
          }
        : undefined,
      Tags: tags.length > 0 ? xmlList(tags) : undefined,
      // The sandbox does not track use of roles; IAM answers an empty RoleLastUsed for unused ones.
      RoleLastUsed: '',
    };
  },

  policy: (policy: PolicyRecord, usage: PolicyUsage) => {
    const tags = tagList(policy.tags);
    return {
      PolicyName: policy.name,
      PolicyId: policy.id,
      Arn: policy.arn,
      Path: policy.path,
      DefaultVersionId: policy.defaultVersionId,
      ...usage,
      IsAttachable: true,
      Description: policy.description,
      CreateDate: isoDate(policy.createdAt),
      UpdateDate: isoDate(policy.updatedAt),
      Tags: tags.length > 0 ? xmlList(tags) : undefined,
    };
  },

  /** What the sandbox can say of an AWS managed policy without AWS's catalog: no dates, no versions. */
  awsManagedPolicy: (arn: PolicyArn, id: string, usage: PolicyUsage) => ({
    PolicyName: arn.name,
    PolicyId: id,
    Arn: arn.arn,
    Path: arn.path,
    ...usage,
    IsAttachable: true,
  }),

  /** The Document member is only in GetPolicyVersion's answer. */
  policyVersion: (
    version: PolicyVersionRecord,
    policy: PolicyRecord,
    options: { withDocument: boolean },
  ) => ({
    Document: options.withDocument
      ? encodeDocument(version.document)
      : undefined,
    VersionId: version.id,
    IsDefaultVersion: version.id === policy.defaultVersionId,
    CreateDate: isoDate(version.createdAt),
  }),

  attachedPolicy: (arn: PolicyArn) => ({
    PolicyName: arn.name,
    PolicyArn: arn.arn,
  }),
};
