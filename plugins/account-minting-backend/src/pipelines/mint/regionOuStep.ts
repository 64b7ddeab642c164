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
import { z } from 'zod';
import { TerminalError } from '../../aws/retry';
import { stepKeys } from '../stepKeys';
import { StepContext, StepHandler } from '../types';

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

const regionOuOutputsSchema = z.object({
  rootId: z.string(),
  regionOuId: z.string(),
  /** The region's accounts that existed when it was observed, by name. */
  accountIds: z.record(z.string(), z.string()),
  /** The region's account creations that were in progress then, by account name. */
  inFlight: z.record(z.string(), z.string()),
});

/** What the region OU step tells the account steps of its run. */
export type RegionOuOutputs = z.infer<typeof regionOuOutputsSchema>;

/**
 * The region OU step's outputs, as a step that depends on it reads them.
 * @throws TerminalError when they are not there or not of that shape
 */
export function regionOuOutputs(ctx: StepContext): RegionOuOutputs {
  const parsed = regionOuOutputsSchema.safeParse(
    ctx.dependencyOutputs[stepKeys.regionOu()],
  );
  if (!parsed.success) {
    throw new TerminalError(
      `step ${ctx.step.key} found no outputs of its region OU step: ${parsed.error.message}`,
    );
  }
  return parsed.data;
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
  const outputs: RegionOuOutputs = {
    rootId: observed.rootId,
    regionOuId: parentId,
    accountIds: Object.fromEntries(
      Object.entries(observed.accounts).map(([name, a]) => [name, a.id]),
    ),
    inFlight: observed.inFlight,
  };
  return outputs;
};
