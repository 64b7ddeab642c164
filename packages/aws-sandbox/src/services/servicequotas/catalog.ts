import { OrganizationRecord } from '../../state/model';

/** The Organizations quota that caps the accounts of an organization, closed ones included. */
export const ACCOUNT_QUOTA_CODE = 'L-29A0C5DF';
export const ACCOUNT_QUOTA_NAME = 'Default maximum number of accounts';

/** What AWS gives an account that no organization raised the quota of. */
const DEFAULT_ACCOUNT_QUOTA = 10;

/** Organizations is a global service: Service Quotas keeps its quotas in us-east-1. */
export const ORGANIZATIONS_QUOTA_REGION = 'us-east-1';

/** One quota a service has, and its value for the caller's organization (none for a standalone account). */
export interface QuotaDefinition {
  code: string;
  name: string;
  description: string;
  adjustable: boolean;
  value(organization: OrganizationRecord | undefined): number;
}

export interface QuotaService {
  name: string;
  /** Where Service Quotas keeps the service's quotas, for their ARNs. */
  region: string;
  /** In the order ListServiceQuotas pages through them. */
  quotas: QuotaDefinition[];
}

/**
 * The services the sandbox answers Service Quotas calls for. Only the account quota
 * matters to minting; the others are there so that a client has to find it by name
 * among several, over pages, as it must in AWS (their codes are the sandbox's own).
 */
export const QUOTA_SERVICES: Record<string, QuotaService> = {
  organizations: {
    name: 'AWS Organizations',
    region: ORGANIZATIONS_QUOTA_REGION,
    quotas: [
      {
        code: 'L-SANDBOX-OUS',
        name: 'Organizational units in an organization',
        description:
          'The maximum number of organizational units in an organization.',
        adjustable: false,
        value: () => 2000,
      },
      {
        code: ACCOUNT_QUOTA_CODE,
        name: ACCOUNT_QUOTA_NAME,
        description:
          'The default maximum number of accounts allowed in an organization.',
        adjustable: true,
        value: organization =>
          organization?.accountQuota ?? DEFAULT_ACCOUNT_QUOTA,
      },
      {
        code: 'L-SANDBOX-OU-DEPTH',
        name: 'Organizational unit nesting depth',
        description:
          'The maximum number of levels of organizational units below a root.',
        adjustable: false,
        value: () => 5,
      },
    ],
  },
};
