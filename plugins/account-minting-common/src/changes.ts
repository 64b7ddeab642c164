import { ChangeRequest } from './api/types';

/** A change in a few words, such as "Region request prod-us-east-1". */
export function describeChange(
  change: Pick<ChangeRequest, 'kind' | 'pipeline' | 'region' | 'account'>,
): string {
  const what = change.account ?? change.region;
  switch (change.kind) {
    case 'region-request':
      return `Region request ${change.region}`;
    case 'retry':
      return `Retry of the ${change.pipeline} run of ${what}`;
    case 'repair':
      return `Repair of ${what} (${change.pipeline})`;
    case 'decommission':
      return change.account
        ? `Decommission of ${change.account} in ${change.region}`
        : `Decommission of region ${change.region}`;
    case 'scale':
      return `Scaling of region ${change.region}`;
    case 'adopt':
      return `Adoption of accounts into ${change.region}`;
    default:
      return `${change.pipeline} run of ${what}`;
  }
}
