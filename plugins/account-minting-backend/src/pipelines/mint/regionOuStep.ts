import {
  CreateOrganizationalUnitCommand,
  CreateOrganizationalUnitCommandOutput,
} from '@aws-sdk/client-organizations';
import { JsonObject } from '@backstage/types';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { managedTagKeys } from '../../estate/desired';
import { childOus, observeRegion } from '../../estate/observe';
import { planRegion } from '../../estate/plan';
import { payerSession } from '../../engine/stepContext';
import { StepHandler } from '../types';

/** Creates an OU, or finds it when another run made it first. */
async function ensureOu(
  session: OrganizationSession,
  parentId: string,
  name: string,
): Promise<string> {
  try {
    const created = await session.send<CreateOrganizationalUnitCommandOutput>(
      new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name }),
    );
    return created.OrganizationalUnit!.Id!;
  } catch (error) {
    if ((error as Error).name !== 'DuplicateOrganizationalUnitException')
      throw error;
    const existing = (await childOus(session, parentId)).find(
      ou => ou.Name === name,
    );
    if (!existing?.Id) throw error;
    return existing.Id;
  }
}

/**
 * The first step of a region's mint: observes the region, stores its plan, and
 * makes its OU path. Its outputs tell the account steps what it saw.
 */
export const mintRegionOu: StepHandler = async ctx => {
  const session = await payerSession(ctx);
  const observed = await observeRegion(session, ctx.desired);
  const plan = planRegion(ctx.desired, observed, managedTagKeys(ctx.config));
  await ctx.saveProgress({ plan: plan as unknown as JsonObject });
  ctx.log('info', `plan for ${plan.region}: ${plan.changes} change(s)`);

  let parentId = observed.rootId;
  for (const level of observed.ouPath) {
    if (level.id) {
      parentId = level.id;
      continue;
    }
    parentId = await ensureOu(session, parentId, level.name);
    ctx.log('info', `created OU ${level.name} (${parentId})`);
  }
  return {
    rootId: observed.rootId,
    regionOuId: parentId,
    accountIds: Object.fromEntries(
      Object.entries(observed.accounts).map(([name, a]) => [name, a.id]),
    ),
    inFlight: observed.inFlight,
  };
};
