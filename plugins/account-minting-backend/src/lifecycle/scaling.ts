import {
  accountName,
  roleCountError,
  FieldError,
  FieldErrors,
} from '@regional-minting/plugin-account-minting-common';
import { MintingConfig } from '../config/mintingConfig';
import { AcceptedAccount } from '../estate/desired';

/** What scaling a region to new counts does to its accounts. */
export interface Scaling {
  /** The accounts as they are to be stored: new ones added, surplus ones retired. */
  accounts: AcceptedAccount[];
  added: AcceptedAccount[];
  retired: AcceptedAccount[];
}

/**
 * A new account of a role. Indexes go on from the highest the role ever had, retired
 * accounts included: a closed account's name and email are never given again.
 */
function newAccount(
  config: MintingConfig,
  regionOu: string,
  role: { name: string; suffix: string },
  index: number,
): AcceptedAccount {
  // A role's only account has no index (…-rc); any other has one (…-mc2).
  const count = index === 0 ? 1 : index + 1;
  const name = accountName(regionOu, { suffix: role.suffix, count }, index);
  return {
    role: role.name,
    index,
    name,
    email: config.accountEmail.replace('{account}', name),
  };
}

/**
 * The accounts of a region scaled to `counts`: more accounts of a role are added
 * after its highest index; fewer retires the highest indexes first. A role left out
 * keeps its count. Growing one role and shrinking another at once is refused: the
 * two are a mint and a decommission, reviewed each on its own.
 * @throws FieldErrors naming accountRoles.<role> for an unknown role, a count outside
 *   the role's bounds, names too long, or growth and shrinkage at once
 */
export function scaleAccounts(
  config: MintingConfig,
  regionOu: string,
  accounts: AcceptedAccount[],
  counts: Record<string, number>,
  retiredBy: string,
): Scaling {
  const errors: Record<string, string> = {};
  const added: AcceptedAccount[] = [];
  const retired: AcceptedAccount[] = [];
  for (const [roleName, count] of Object.entries(counts)) {
    const field = `accountRoles.${roleName}`;
    const role = config.accountRoles.find(r => r.name === roleName);
    if (!role) {
      errors[
        field
      ] = `no account role ${roleName}; the roles are ${config.accountRoles
        .map(r => r.name)
        .join(', ')}`;
      continue;
    }
    // The bounds of a region request's counts: retiring them all is a decommission.
    const countError = roleCountError(role, count);
    if (countError) {
      errors[field] = countError;
      continue;
    }
    const ofRole = accounts.filter(a => a.role === roleName);
    const active = ofRole
      .filter(a => !a.retired)
      .sort((a, b) => a.index - b.index);
    if (count < active.length) {
      retired.push(...active.slice(count).reverse());
    }
    let next = Math.max(-1, ...ofRole.map(a => a.index)) + 1;
    for (let n = active.length; n < count; n++) {
      try {
        added.push(newAccount(config, regionOu, role, next++));
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        errors[field] = error.message;
        break;
      }
    }
  }
  if (added.length > 0 && retired.length > 0) {
    errors.accountRoles =
      'grows some roles and shrinks others: scale up and down in separate changes';
  }
  if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
  const at = new Date().toISOString();
  const retiredNames = new Set(retired.map(a => a.name));
  return {
    accounts: [
      ...accounts.map(a =>
        retiredNames.has(a.name) ? { ...a, retired: { by: retiredBy, at } } : a,
      ),
      ...added,
    ],
    added,
    retired,
  };
}
