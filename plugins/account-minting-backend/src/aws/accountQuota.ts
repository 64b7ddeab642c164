import {
  ListServiceQuotasCommand,
  ListServiceQuotasCommandOutput,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { MintingConfig } from '../config/mintingConfig';
import { listAccounts } from '../estate/observe';
import { AwsClients } from './AwsClients';
import { OrganizationSession, PayerGates } from './OrganizationSession';
import { BackoffOptions, DEFAULT_BACKOFF, withRetries } from './retry';

/**
 * The Organizations quota on the accounts of an organization, by its name: AWS warns
 * that quota codes can change, so the quota is looked up by name, never by code.
 */
export const ACCOUNT_QUOTA_NAME = 'Default maximum number of accounts';
const ORGANIZATIONS_SERVICE_CODE = 'organizations';
/** Organizations is a global service: Service Quotas keeps its quotas in us-east-1. */
const ORGANIZATIONS_QUOTA_REGION = 'us-east-1';

/**
 * Errors that say Service Quotas cannot give the quota here (the role may not call it,
 * or it does not know the service or quota), as opposed to a failure worth reporting.
 */
const SERVICE_QUOTAS_UNAVAILABLE = new Set([
  'AccessDeniedException',
  'NoSuchResourceException',
  'IllegalArgumentException',
  'UnknownOperationException',
]);

/** How full a payer organization is. */
export interface AccountQuotaUsage {
  /** The payer's name. */
  payer: string;
  /** How many accounts the organization may hold, closed ones included. */
  quota: number;
  /** Where the quota came from: Service Quotas, or the payer's accountQuota in the config. */
  quotaSource: 'service-quotas' | 'config';
  /** The accounts that count against the quota now: every one ListAccounts gives, SUSPENDED and PENDING_CLOSURE ones included. */
  accounts: number;
  /** How many more accounts fit; never below 0. */
  left: number;
}

/** The account quota from Service Quotas, or why Service Quotas could not give it. */
export type ServiceQuotasAnswer = { value: number } | { unavailable: string };

interface ListingOptions {
  backoff?: BackoffOptions;
  /** MaxResults of each ListServiceQuotas page; Service Quotas' own default when absent. */
  pageSize?: number;
}

/** One page of Organizations' quotas, with throttling and passing failures retried. */
function organizationsQuotaPage(
  client: ServiceQuotasClient,
  nextToken: string | undefined,
  options: ListingOptions,
): Promise<ListServiceQuotasCommandOutput> {
  return withRetries(
    () =>
      client.send(
        new ListServiceQuotasCommand({
          ServiceCode: ORGANIZATIONS_SERVICE_CODE,
          NextToken: nextToken,
          MaxResults: options.pageSize,
        }),
        { abortSignal: options.backoff?.signal },
      ),
    options.backoff ?? DEFAULT_BACKOFF,
  );
}

/**
 * Reads the account quota of the caller's organization from Service Quotas, found by
 * name over every page of ListServiceQuotas. A refusal, or no such quota, is
 * `unavailable` so that the caller can fall back; other failures are thrown.
 */
export async function accountQuotaFromServiceQuotas(
  client: ServiceQuotasClient,
  options: ListingOptions = {},
): Promise<ServiceQuotasAnswer> {
  let token: string | undefined;
  try {
    do {
      const output = await organizationsQuotaPage(client, token, options);
      const quota = output.Quotas?.find(
        q => q.QuotaName === ACCOUNT_QUOTA_NAME,
      );
      if (quota) {
        const value = quota.Value;
        return typeof value === 'number' && Number.isFinite(value) && value > 0
          ? { value: Math.floor(value) }
          : { unavailable: `the quota "${ACCOUNT_QUOTA_NAME}" has no value` };
      }
      token = output.NextToken;
    } while (token);
  } catch (error) {
    const { name, message } = error as Error;
    if (SERVICE_QUOTAS_UNAVAILABLE.has(name)) {
      return { unavailable: `${name}: ${message}` };
    }
    throw error;
  }
  return {
    unavailable: `Service Quotas lists no Organizations quota named "${ACCOUNT_QUOTA_NAME}"`,
  };
}

/** How many accounts count against the quota: every account of the organization, closed or closing ones too, as AWS counts them until it removes them. */
export async function countOrganizationAccounts(
  session: OrganizationSession,
): Promise<number> {
  return (await listAccounts(session)).length;
}

export interface ReadAccountQuotaOptions {
  config: MintingConfig;
  /** The payer's name, as in config.payers. */
  payer: string;
  clients: AwsClients;
  gates: PayerGates;
  /** Names the minting-role session in CloudTrail. */
  sessionName: string;
  backoff?: BackoffOptions;
  /** MaxResults of each ListServiceQuotas page; Service Quotas' own default when absent. */
  pageSize?: number;
}

/**
 * How full a payer's organization is, as its minting role sees it: the account quota
 * from Service Quotas, or from `payers[<n>].accountQuota` when Service Quotas is not
 * allowed or has no such quota, and the accounts that count against it.
 * @throws Error naming `payers[<n>].accountQuota` when neither gives a number.
 */
export async function readAccountQuota(
  options: ReadAccountQuotaOptions,
): Promise<AccountQuotaUsage> {
  const { config, clients } = options;
  const index = config.payers.findIndex(p => p.name === options.payer);
  if (index < 0) {
    throw new Error(
      `unknown payer ${options.payer}; one of ${config.payers
        .map(p => p.name)
        .join(', ')}`,
    );
  }
  const payer = config.payers[index];
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const credentials = await clients.assumeRole({
    roleArn: payer.mintRoleArn,
    externalId: payer.externalId,
    sessionName: options.sessionName,
    reuse: true,
  });
  const session = new OrganizationSession(
    clients.organizations(credentials),
    options.gates.calls(payer.name),
    backoff,
  );
  const [answer, accounts] = await Promise.all([
    accountQuotaFromServiceQuotas(
      clients.serviceQuotas(credentials, ORGANIZATIONS_QUOTA_REGION),
      { backoff, pageSize: options.pageSize },
    ),
    countOrganizationAccounts(session),
  ]);

  let quota: number;
  let quotaSource: AccountQuotaUsage['quotaSource'];
  if ('value' in answer) {
    quota = answer.value;
    quotaSource = 'service-quotas';
  } else if (payer.accountQuota !== undefined) {
    quota = payer.accountQuota;
    quotaSource = 'config';
  } else {
    throw new Error(
      `payer ${payer.name}: no account quota: Service Quotas gave none (${answer.unavailable}) and payers[${index}].accountQuota is not set; set payers[${index}].accountQuota to the organization's quota "${ACCOUNT_QUOTA_NAME}"`,
    );
  }
  return {
    payer: payer.name,
    quota,
    quotaSource,
    accounts,
    left: Math.max(0, quota - accounts),
  };
}

const plural = (n: number, one: string, many: string) =>
  `${n} ${n === 1 ? one : many}`;

/**
 * Whether `needed` new accounts fit in the payer's quota: nothing when they do, else
 * the message to show, which says how to get more room.
 * @throws Error when `needed` is not a whole number of 0 or more.
 */
export function checkQuota(
  usage: AccountQuotaUsage,
  needed: number,
): string | undefined {
  if (!Number.isInteger(needed) || needed < 0) {
    throw new Error(
      `needed: must be a whole number of 0 or more, not ${needed}`,
    );
  }
  if (needed <= usage.left) return undefined;
  return `payer ${usage.payer} needs ${plural(
    needed,
    'new account',
    'new accounts',
  )}, ${usage.left} left of ${usage.quota} (${plural(
    usage.accounts,
    'exists',
    'exist',
  )}, closed ones included); ask AWS to raise the quota "${ACCOUNT_QUOTA_NAME}"`;
}
