import { epochSeconds } from '../../protocols/json';
import {
  AccountRecord,
  ContainerRecord,
  CreateAccountRequestRecord,
  OrganizationPolicyRecord,
  OrganizationRecord,
  Tags,
} from '../../state/model';
import { accountArn } from '../../state/records';
import { isAwsManaged } from './policyStore';

/** The shapes of Organizations' responses, as its API model names their members. */
export const shapes = {
  organization: (o: OrganizationRecord, managementEmail: string) => ({
    Id: o.id,
    Arn: o.arn,
    FeatureSet: o.featureSet,
    MasterAccountArn: `arn:aws:organizations::${o.managementAccountId}:account/${o.id}/${o.managementAccountId}`,
    MasterAccountId: o.managementAccountId,
    MasterAccountEmail: managementEmail,
    AvailablePolicyTypes: [],
  }),
  account: (a: AccountRecord, o: OrganizationRecord) => ({
    Id: a.id,
    Arn: accountArn(o, a.id),
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: epochSeconds(a.joinedAt),
  }),
  /** A root, with the policy types enabled in it. */
  root: (r: ContainerRecord, o: OrganizationRecord) => ({
    Id: r.id,
    Arn: r.arn,
    Name: r.name,
    PolicyTypes: (o.enabledPolicyTypes ?? []).map(Type => ({
      Type,
      Status: 'ENABLED',
    })),
  }),
  policySummary: (p: OrganizationPolicyRecord) => ({
    Id: p.id,
    Arn: p.arn,
    Name: p.name,
    Description: p.description,
    Type: p.type,
    AwsManaged: isAwsManaged(p),
  }),
  policy: (p: OrganizationPolicyRecord) => ({
    PolicySummary: shapes.policySummary(p),
    Content: p.content,
  }),
  organizationalUnit: (ou: ContainerRecord) => ({
    Id: ou.id,
    Arn: ou.arn,
    Name: ou.name,
  }),
  createAccountStatus: (r: CreateAccountRequestRecord) => ({
    Id: r.id,
    AccountName: r.accountName,
    State: r.state,
    RequestedTimestamp: epochSeconds(r.requestedAt),
    CompletedTimestamp: epochSeconds(r.completedAt),
    AccountId: r.accountId,
    FailureReason: r.failureReason,
  }),
  tags: (tags: Tags) =>
    Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
};
