import {
  AdoptBody,
  Estate,
  RegionSummary,
} from '@regional-minting/plugin-account-minting-common';

/** An account slot of a region (a role and an index) that an existing account can be adopted into. */
export interface AdoptSlot {
  role: string;
  index: number;
  /** The account name the slot gives, such as dev-kirk-us-east-2-mc1. */
  name: string;
  /** The id of the account in the slot already, minted or adopted; such a slot keeps it. */
  taken?: string;
}

const ACCOUNT_ID = /^[0-9]{12}$/;

/** The field an account id of a slot is, as the backend names it in its 400: `accounts.<role>[i]`. */
export function slotField(slot: Pick<AdoptSlot, 'role' | 'index'>): string {
  return `accounts.${slot.role}[${slot.index}]`;
}

/** The ids of the accounts AWS has, by name, in the region's OU. */
export function accountIdsIn(
  estate: Estate,
  regionOu: string,
): Map<string, string> {
  const ids = new Map<string, string>();
  for (const payer of estate.payers) {
    for (const environment of payer.environments) {
      for (const region of environment.regions) {
        if (region.name !== regionOu) continue;
        for (const account of region.accounts) {
          if (account.id && account.observed) ids.set(account.name, account.id);
        }
      }
    }
  }
  return ids;
}

/** The region's slots in role and index order, with the account each holds already. */
export function adoptSlotsOf(
  region: RegionSummary,
  existingIds: Map<string, string>,
): AdoptSlot[] {
  return [...region.accounts]
    .sort((a, b) => a.role.localeCompare(b.role) || a.index - b.index)
    .map(account => ({
      role: account.role,
      index: account.index,
      name: account.name,
      taken: account.accountId ?? existingIds.get(account.name),
    }));
}

/** Where an account id offered for adoption goes: the first slot without an account. */
export function firstFreeSlot(slots: AdoptSlot[]): AdoptSlot | undefined {
  return slots.find(slot => !slot.taken);
}

/** What is wrong with a typed account id, as the person types it; nothing for an empty field. */
export function accountIdProblem(typed: string): string | undefined {
  if (typed === '' || ACCOUNT_ID.test(typed)) return undefined;
  return /[^0-9]/.test(typed)
    ? 'An account id has digits only'
    : `An account id has 12 digits, not ${typed.length}`;
}

/** The body of an adoption, or why there is none yet, by field ('' for the form as a whole). */
export type AdoptRequest =
  | { body: AdoptBody; problems?: undefined }
  | { body?: undefined; problems: Record<string, string> };

/**
 * The body that adopts the typed ids into their slots. The API takes each role's ids in
 * slot order from index 0, so a slot before a typed one keeps its account's id, and
 * must have one.
 */
export function adoptRequestOf(
  slots: AdoptSlot[],
  typed: Record<string, string>,
  matchByName: boolean,
): AdoptRequest {
  if (matchByName) return { body: { match: 'name-or-email' } };
  const problems: Record<string, string> = {};
  const accounts: Record<string, string[]> = {};
  for (const slot of slots) {
    const problem = accountIdProblem(typed[slotField(slot)] ?? '');
    if (problem) problems[slotField(slot)] = problem;
  }
  const roles = [...new Set(slots.map(s => s.role))];
  for (const role of roles) {
    const ofRole = slots.filter(s => s.role === role);
    const last = ofRole.map(s => typed[slotField(s)]).findLastIndex(Boolean);
    if (last < 0) continue;
    accounts[role] = ofRole.slice(0, last + 1).map(slot => {
      const id = typed[slotField(slot)] || slot.taken;
      if (!id) {
        problems[slotField(slot)] =
          'Type an id here too: ids fill slots in order, from the first';
      }
      return id ?? '';
    });
  }
  if (Object.keys(problems).length > 0) return { problems };
  if (Object.keys(accounts).length === 0) {
    return {
      problems: {
        '': 'Type the id of an account to adopt, or match accounts by name or email',
      },
    };
  }
  return { body: { accounts } };
}
