import { Plan } from '@regional-minting/plugin-account-minting-common';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../pipelines/bootstrap/provisioningRole';

/**
 * What approvals are given to: the plan's actions without their reasons, which may
 * word the same action differently from one observation to the next (a creation's
 * request id, a provisioner's summary). Two plans with the same hash do the same.
 */
export function planHash(plan: Plan): string {
  const actions = (plan.steps ?? [{ key: '', actions: plan.actions }]).map(
    step => ({
      key: step.key,
      actions: step.actions.map(({ reason: _reason, ...action }) => action),
    }),
  );
  return createHash('sha256')
    .update(canonicalJson({ payer: plan.payer, actions }))
    .digest('hex');
}
