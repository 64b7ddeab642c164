/**
 * The keys of a run's steps: unique within the run, named after what each step acts
 * on, and how steps name the steps they depend on. Built and read here only.
 * Account names are made of lower-case letters, digits and hyphens, so a colon
 * always ends one; a provisioning step's name is the rest of its key.
 */
export const stepKeys = {
  regionOu: () => 'region-ou',
  policies: () => 'policies',
  account: (account: string) => `account:${account}`,
  bootstrap: (account: string) => `bootstrap:${account}`,
  provision: (account: string, step: string) => `provision:${account}:${step}`,
  region: (step: string) => `region:${step}`,
  check: (payer: string) => `check:${payer}`,
  // A decommission's steps, undoing a region's in reverse.
  teardown: (step: string) => `teardown:${step}`,
  destroy: (account: string, step: string) => `destroy:${account}:${step}`,
  removeRole: (account: string) => `remove-role:${account}`,
  close: (account: string) => `close:${account}`,
  deleteRegionOu: () => 'delete-region-ou',
  retireRegion: () => 'retire-region',
};

/** What a step key says: the kind of step and what it acts on. */
export type ParsedStepKey =
  | { kind: 'region-ou' | 'policies' | 'delete-region-ou' | 'retire-region' }
  | {
      kind: 'account' | 'bootstrap' | 'remove-role' | 'close';
      account: string;
    }
  | { kind: 'provision' | 'destroy'; account: string; step: string }
  | { kind: 'region' | 'teardown'; step: string }
  | { kind: 'check'; payer: string };

const SINGLE_KEYS = [
  'region-ou',
  'policies',
  'delete-region-ou',
  'retire-region',
] as const;

/** @throws Error for a key that no step key constructor makes */
export function parseStepKey(key: string): ParsedStepKey {
  const single = SINGLE_KEYS.find(k => k === key);
  if (single) return { kind: single };
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  if (colon > 0 && rest) {
    switch (kind) {
      case 'account':
      case 'bootstrap':
      case 'remove-role':
      case 'close':
        return { kind, account: rest };
      case 'provision':
      case 'destroy': {
        const end = rest.indexOf(':');
        if (end > 0 && end < rest.length - 1) {
          return {
            kind,
            account: rest.slice(0, end),
            step: rest.slice(end + 1),
          };
        }
        break;
      }
      case 'region':
      case 'teardown':
        return { kind, step: rest };
      case 'check':
        return { kind, payer: rest };
      default:
    }
  }
  throw new Error(`${JSON.stringify(key)} is not a step key`);
}
