import {
  Account,
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationalUnitCommandOutput,
} from '@aws-sdk/client-organizations';
import {
  AdoptBody,
  FieldErrors,
} from '@regional-minting/plugin-account-minting-common';
import { OrganizationSession } from '../aws/OrganizationSession';
import { MintingConfig } from '../config/mintingConfig';
import { AcceptedAccount } from '../estate/desired';
import {
  childOus,
  findRootId,
  listAccounts,
  observeOuPath,
  parentOf,
  tagsOf,
} from '../estate/observe';

/** An account given for a slot, by the field that gave it. */
interface Candidate {
  field: string;
  slot: AcceptedAccount;
  accountId: string;
}

/**
 * The accounts given for a region's slots: by id, the i-th id of a role for the role's
 * i-th slot in index order; or by the name or email the naming rule gives each slot.
 * Slots given nothing keep what they had (minted as usual).
 * @throws FieldErrors naming accounts.<role> for more ids than slots, or an unknown role
 */
function candidatesOf(
  slots: AcceptedAccount[],
  body: AdoptBody,
  organization: Account[],
): Candidate[] {
  const errors: Record<string, string> = {};
  const candidates: Candidate[] = [];
  if (body.match === 'name-or-email') {
    for (const slot of slots) {
      const found = organization.find(
        a =>
          a.Name === slot.name ||
          a.Email?.toLowerCase() === slot.email.toLowerCase(),
      );
      if (found?.Id)
        candidates.push({
          field: `accounts.${slot.role}`,
          slot,
          accountId: found.Id,
        });
    }
  }
  for (const [role, ids] of Object.entries(body.accounts ?? {})) {
    const ofRole = slots
      .filter(s => s.role === role)
      .sort((a, b) => a.index - b.index);
    if (ids.length > ofRole.length) {
      errors[`accounts.${role}`] =
        ofRole.length === 0
          ? `the region has no ${role} slot`
          : `the region has ${ofRole.length} ${role} slots, not ${ids.length}: scale it first`;
      continue;
    }
    ids.forEach((accountId, i) =>
      candidates.push({
        field: `accounts.${role}[${i}]`,
        slot: ofRole[i],
        accountId,
      }),
    );
  }
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  return candidates;
}

/** The region OU an account sits in, when its parent is an OU below an environment OU. */
async function regionOuOf(
  session: OrganizationSession,
  parentId: string,
  environmentOuIds: Set<string>,
): Promise<string | undefined> {
  if (!parentId.startsWith('ou-')) return undefined;
  if (!environmentOuIds.has(await parentOf(session, parentId)))
    return undefined;
  const { OrganizationalUnit } =
    await session.send<DescribeOrganizationalUnitCommandOutput>(
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: parentId }),
    );
  return OrganizationalUnit?.Name;
}

/**
 * The region's accounts with the given ones adopted into their slots, each checked
 * against AWS: it must be an active member of the payer's organization, not its
 * management account, not in another region's OU nor managed for another region,
 * nor adopted elsewhere; its slot must not have an account of its own already.
 * An adopted account keeps its email; it takes the slot's name.
 * @throws FieldErrors naming each refused account's field, and why
 */
export async function adoptInto(options: {
  config: MintingConfig;
  session: OrganizationSession;
  payer: { name: string; accountId: string };
  regionOu: string;
  /** The region's accounts that are not retired. */
  slots: AcceptedAccount[];
  body: AdoptBody;
  /** Accounts adopted into other regions, by id: the region's name. */
  adoptedElsewhere: Map<string, string>;
}): Promise<{ accounts: AcceptedAccount[]; adopted: AcceptedAccount[] }> {
  const { session, payer, regionOu, slots } = options;
  const organization = await listAccounts(session);
  const candidates = candidatesOf(slots, options.body, organization);
  const rootId = await findRootId(session);
  const [platform] = await observeOuPath(session, rootId, [
    options.config.platformOu,
  ]);
  const environmentOuIds = new Set(
    platform.id
      ? (await childOus(session, platform.id)).map(ou => ou.Id ?? '')
      : [],
  );
  const errors: Record<string, string> = {};
  const seen = new Map<string, string>();
  const adopted: AcceptedAccount[] = [];
  for (const { field, slot, accountId } of candidates) {
    const refuse = (why: string) => {
      errors[field] = `account ${accountId} ${why}`;
    };
    const account = organization.find(a => a.Id === accountId);
    if (seen.has(accountId)) {
      refuse(`is given for ${seen.get(accountId)} already`);
      continue;
    }
    seen.set(accountId, slot.name);
    if (!account) {
      refuse(`is not in the organization of payer ${payer.name}`);
      continue;
    }
    if (accountId === payer.accountId) {
      refuse(
        `is the management account of payer ${payer.name}: it is never adopted`,
      );
      continue;
    }
    if (account.Status !== 'ACTIVE') {
      refuse(`is ${account.Status}: a closed account cannot be adopted`);
      continue;
    }
    const elsewhere = options.adoptedElsewhere.get(accountId);
    if (elsewhere && elsewhere !== regionOu) {
      refuse(`is adopted into region ${elsewhere} already`);
      continue;
    }
    const own = organization.find(
      a => a.Email?.toLowerCase() === slot.email.toLowerCase(),
    );
    if (own?.Id && own.Id !== accountId) {
      refuse(`cannot take slot ${slot.name}: account ${own.Id} has it already`);
      continue;
    }
    const [tags, parentId] = await Promise.all([
      tagsOf(session, accountId),
      parentOf(session, accountId),
    ]);
    const managedFor = tags['region-ou'];
    if (managedFor && managedFor !== regionOu) {
      refuse(`is managed for region ${managedFor}`);
      continue;
    }
    const inRegion = await regionOuOf(session, parentId, environmentOuIds);
    if (inRegion && inRegion !== regionOu) {
      refuse(`is in region OU ${inRegion} of another region`);
      continue;
    }
    adopted.push({ ...slot, accountId, email: account.Email ?? slot.email });
  }
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  const bySlot = new Map(adopted.map(a => [a.name, a]));
  return {
    accounts: slots.map(s => bySlot.get(s.name) ?? s),
    adopted,
  };
}
