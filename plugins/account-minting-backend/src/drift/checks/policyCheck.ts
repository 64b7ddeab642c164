import { WHOLE_ESTATE } from '@regional-minting/plugin-account-minting-common';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { DesiredRegion } from '../../estate/desired';
import {
  managedPolicyTag,
  observePolicies,
  payerPolicies,
  planPolicies,
  PolicyPlanAction,
  unmanagedNamesakes,
} from '../../pipelines/policies';
import { FoundDrift } from '../FindingStore';
import { CheckContext } from './types';

/** The environment an OU path is in: Root/<platform>/<environment>/…, or none for the platform OU and above. */
function environmentOfPath(ouPath: string | undefined): string | undefined {
  return ouPath?.split('/')[2];
}

/**
 * The desired region a policy finding is told against, so that a repair runs the mint
 * pipeline of a region of the payer: the region OU itself, else a region of the OU's
 * environment, else any region of the payer (the step reconciles the whole payer).
 */
function regionFor(
  regions: DesiredRegion[],
  ouPath: string | undefined,
): DesiredRegion | undefined {
  const name = ouPath?.split('/')[3];
  const environment = environmentOfPath(ouPath);
  return (
    regions.find(r => r.name === name) ??
    regions.find(r => r.environment === environment) ??
    regions[0]
  );
}

function findingOf(
  ctx: CheckContext,
  action: PolicyPlanAction,
): FoundDrift | undefined {
  const ouPath = 'ouPath' in action ? action.ouPath : undefined;
  const region = regionFor(ctx.regions, ouPath);
  const where = {
    pipeline: 'mint' as const,
    layer: 'policy' as const,
    payer: ctx.payer.name,
    environment:
      region?.environment ?? environmentOfPath(ouPath) ?? WHOLE_ESTATE,
    region: region?.name ?? WHOLE_ESTATE,
    repairable: region !== undefined,
  };
  const policy = 'policy' in action ? action.policy : undefined;
  switch (action.action) {
    case 'enable-policy-type':
      return {
        ...where,
        subject: 'scp:enabled',
        summary: `${action.reason}: declared SCPs cannot be attached`,
      };
    case 'create-policy':
      return {
        ...where,
        subject: `scp:${policy}`,
        summary: `SCP ${policy} does not exist`,
      };
    case 'update-policy':
      return {
        ...where,
        subject: `scp:${policy}`,
        summary: `SCP ${policy} was changed: ${action.reason}`,
      };
    case 'attach-scp':
      return {
        ...where,
        subject: `scp:${policy}:${ouPath}`,
        summary: `SCP ${policy} is not attached to ${ouPath}, one of its targets`,
        diff: { expected: 'attached', actual: 'detached' },
      };
    case 'detach-scp':
      return {
        ...where,
        subject: `scp:${policy}:${ouPath}`,
        summary: `SCP ${policy} is attached to ${ouPath}, which is not one of its targets`,
        diff: { expected: 'detached', actual: 'attached' },
      };
    default:
      return undefined;
  }
}

/**
 * The policy layer of a payer: each declared SCP's document and description, and the
 * OUs it is attached to, against the declaration. Nothing is looked at in a payer with
 * no desired region, or when no SCP is declared.
 */
export async function checkPolicies(
  ctx: CheckContext,
  session: OrganizationSession,
): Promise<FoundDrift[]> {
  const declared = payerPolicies(ctx.config, ctx.payer.name);
  if (declared.length === 0 || ctx.regions.length === 0) return [];
  const observed = await observePolicies(session, ctx.config, declared);
  const tag = managedPolicyTag(ctx.config);
  const namesakes: FoundDrift[] = unmanagedNamesakes(
    ctx.config,
    declared,
    observed,
  ).map(scp => ({
    pipeline: 'mint',
    layer: 'policy',
    payer: ctx.payer.name,
    environment: ctx.regions[0].environment,
    region: ctx.regions[0].name,
    subject: `scp:${scp.name}`,
    summary: `an SCP named ${scp.name} (${scp.id}) exists without the tag ${tag.key}: ${tag.value}; rename the declared policy or tag it`,
    repairable: false,
  }));
  return [
    ...namesakes,
    ...planPolicies(ctx.config, declared, observed).flatMap(action => {
      const found = findingOf(ctx, action);
      return found ? [found] : [];
    }),
  ];
}
