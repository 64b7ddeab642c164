import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';

/** The config key this module reads. */
export const POLICY_CONFIG_KEY = 'accountMinting.permissionPolicy';

/** The policy's rules, checked and normalized. */
export interface AccountMintingPolicyConfig {
  /** Environment names where anyone signed in may create regions, run and cancel. */
  openEnvironments: string[];
  /** The operators group's entity ref, lower-case as ownership refs are. */
  operatorsGroup: string;
  /** The approvers group's entity ref, lower-case as ownership refs are. */
  approversGroup: string;
}

/**
 * Reads and checks `accountMinting.permissionPolicy` at start.
 * @throws Error naming every key that breaks a rule, and the rule.
 */
export function readPolicyConfig(config: Config): AccountMintingPolicyConfig {
  const raw = config.getOptional(POLICY_CONFIG_KEY);
  if (raw === undefined) {
    throw new Error(
      `${POLICY_CONFIG_KEY}: missing; the account-minting permission policy needs operatorsGroup and approversGroup (and optionally openEnvironments)`,
    );
  }
  if (!isPlainObject(raw)) {
    throw new Error(
      `${POLICY_CONFIG_KEY}: must be an object with operatorsGroup, approversGroup and openEnvironments`,
    );
  }
  const problems: string[] = [];
  const known = ['openEnvironments', 'operatorsGroup', 'approversGroup'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      // A misspelt key would otherwise leave its rule at the default without a word.
      problems.push(
        `${POLICY_CONFIG_KEY}.${key}: unknown key; expected one of ${known.join(
          ', ',
        )}`,
      );
    }
  }
  const openEnvironments = readEnvironments(raw.openEnvironments, problems);
  const operatorsGroup = readGroupRef('operatorsGroup', raw, problems);
  const approversGroup = readGroupRef('approversGroup', raw, problems);
  if (problems.length > 0) {
    throw new Error(
      `Invalid account-minting permission policy configuration:\n  ${problems.join(
        '\n  ',
      )}`,
    );
  }
  return {
    openEnvironments,
    operatorsGroup: operatorsGroup!,
    approversGroup: approversGroup!,
  };
}

function readEnvironments(value: unknown, problems: string[]): string[] {
  const key = `${POLICY_CONFIG_KEY}.openEnvironments`;
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push(`${key}: must be a list of environment names, such as [dev]`);
    return [];
  }
  const names: string[] = [];
  value.forEach((name, index) => {
    if (typeof name !== 'string' || name.trim() === '') {
      problems.push(
        `${key}.${index}: must be an environment name, such as dev`,
      );
    } else if (!names.includes(name)) {
      names.push(name);
    }
  });
  return names;
}

function readGroupRef(
  name: 'operatorsGroup' | 'approversGroup',
  raw: Record<string, unknown>,
  problems: string[],
): string | undefined {
  const key = `${POLICY_CONFIG_KEY}.${name}`;
  const value = raw[name];
  const example = `group:default/platform-${
    name === 'operatorsGroup' ? 'operators' : 'approvers'
  }`;
  if (value === undefined) {
    problems.push(`${key}: missing; a group entity ref such as ${example}`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${key}: must be a group entity ref such as ${example}`);
    return undefined;
  }
  let ref;
  try {
    ref = parseEntityRef(value.trim(), { defaultNamespace: 'default' });
  } catch {
    ref = undefined;
  }
  if (!ref || ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    problems.push(
      `${key}: must be a group entity ref such as ${example}, got ${value}`,
    );
    return undefined;
  }
  // Entity refs compare case-insensitively; ownership refs arrive lower-case.
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
