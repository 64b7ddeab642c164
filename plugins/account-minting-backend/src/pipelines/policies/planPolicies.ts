import { PlanAction } from '@regional-minting/plugin-account-minting-common';
import { MintingConfig } from '../../config/mintingConfig';
import {
  DesiredScp,
  managedPolicyTag,
  ouPathOf,
  sameDocument,
} from './desiredPolicies';
import { ObservedScp, PolicyObservation } from './observePolicies';

/** What the policies step does: enable SCPs, create or update a policy, attach or detach it. */
export type ScpAction = Extract<
  PlanAction,
  {
    action:
      | 'enable-policy-type'
      | 'create-policy'
      | 'update-policy'
      | 'attach-scp'
      | 'detach-scp';
  }
>;
export type PolicyPlanAction =
  | ScpAction
  | Extract<PlanAction, { action: 'none' }>;

/** An OU a declared SCP should be attached to; no id when a dry run's earlier step would make it. */
export interface TargetOu {
  path: string;
  id?: string;
}

/** The OUs a declared SCP should be attached to in this payer: those that exist (or that the run makes). */
export function targetOus(
  config: MintingConfig,
  policy: DesiredScp,
  observed: PolicyObservation,
): TargetOu[] {
  const paths = policy.targets.flatMap(target => {
    if (target === 'platform') return [ouPathOf(config)];
    if ('environment' in target) return [ouPathOf(config, target.environment)];
    return observed.regionOus[target.regionOusOf] ?? [];
  });
  return [...new Set(paths)]
    .filter(path => path in observed.ous)
    .map(path => ({ path, id: observed.ous[path] }));
}

/** Whether an SCP carries the engine's tag: only those it changes. */
export function isManaged(config: MintingConfig, scp: ObservedScp): boolean {
  const tag = managedPolicyTag(config);
  return scp.tags[tag.key] === tag.value;
}

/** The declared SCPs that exist in the payer without the engine's tag: the engine leaves them alone and says so. */
export function unmanagedNamesakes(
  config: MintingConfig,
  declared: DesiredScp[],
  observed: PolicyObservation,
): ObservedScp[] {
  return declared.flatMap(p => {
    const scp = observed.policies[p.name];
    return scp && !isManaged(config, scp) ? [scp] : [];
  });
}

function contentChanges(policy: DesiredScp, scp: ObservedScp): string[] {
  return [
    ...(sameDocument(scp.content, policy.content)
      ? []
      : ['its document differs from the declared one']),
    ...(scp.description === policy.description
      ? []
      : [
          `its description is ${JSON.stringify(
            scp.description,
          )}, not ${JSON.stringify(policy.description)}`,
        ]),
  ];
}

/**
 * What makes the payer's SCPs the declared ones: SCPs enabled on the root, each declared
 * policy there with exactly its document and description, attached to exactly its
 * target OUs. Only policies carrying the engine's tag are touched; FullAWSAccess and
 * other policies never are.
 */
export function planPolicies(
  config: MintingConfig,
  declared: DesiredScp[],
  observed: PolicyObservation,
): PolicyPlanAction[] {
  const actions: PolicyPlanAction[] = [];
  const inScope = declared.filter(p => {
    const scp = observed.policies[p.name];
    // A policy is made only where it has somewhere to be attached.
    return scp
      ? isManaged(config, scp)
      : targetOus(config, p, observed).length > 0;
  });
  if (!observed.scpEnabled && inScope.length > 0) {
    actions.push({
      action: 'enable-policy-type',
      target: 'Root',
      reason: 'service control policies are not enabled in the organization',
    });
  }
  for (const policy of inScope) {
    const scp = observed.policies[policy.name];
    if (!scp) {
      actions.push({
        action: 'create-policy',
        target: policy.name,
        policy: policy.name,
        reason: 'it does not exist',
      });
    } else {
      const changes = contentChanges(policy, scp);
      if (changes.length > 0)
        actions.push({
          action: 'update-policy',
          target: policy.name,
          policy: policy.name,
          reason: changes.join('; '),
        });
    }
    const wanted = targetOus(config, policy, observed);
    const attached = scp?.attachments ?? [];
    for (const ou of wanted) {
      if (ou.id && attached.some(a => a.id === ou.id)) continue;
      actions.push({
        action: 'attach-scp',
        target: `${policy.name} on ${ou.path}`,
        policy: policy.name,
        ouPath: ou.path,
        reason: ou.id
          ? 'it is a target of the policy'
          : 'it is a target of the policy, once the run makes it',
      });
    }
    for (const attachment of attached) {
      if (wanted.some(ou => ou.id === attachment.id)) continue;
      actions.push({
        action: 'detach-scp',
        target: `${policy.name} on ${attachment.path}`,
        policy: policy.name,
        ouPath: attachment.path,
        reason: 'it is not a target of the policy',
      });
    }
  }
  if (actions.length === 0)
    actions.push({
      action: 'none',
      target: 'service control policies',
      reason:
        inScope.length > 0
          ? 'every declared SCP is as declared and attached to its targets'
          : 'no SCP is declared for this payer',
    });
  return actions;
}
