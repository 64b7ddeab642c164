import { OrganizationSession } from '../../aws/OrganizationSession';
import { ensureOu } from '../../aws/ensureOu';
import { observeRegion } from '../../estate/observe';
import { ObservedRegion } from '../../estate/observed';
import { planOuPath } from '../../estate/plan';
import { payerSession } from '../../engine/stepContext';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { z } from 'zod';
import { TerminalError } from '../../aws/retry';
import { stepKeys } from '../stepKeys';
import { StepContext } from '../types';

const regionOuOutputsSchema = z.object({
  rootId: z.string(),
  /** Absent only in a dry run, for a region OU that the run would create. */
  regionOuId: z.string().optional(),
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

/** The level of the region's OU path that a create-ou action makes. */
function levelOf(observed: ObservedRegion, target: string): number {
  return observed.ouPath.findIndex(
    (_, i) =>
      ['Root', ...observed.ouPath.slice(0, i + 1).map(l => l.name)].join(
        '/',
      ) === target,
  );
}

/**
 * The first step of a region's mint: observes the region and makes its OU path.
 * Its outputs tell the account steps what it saw, so that they need not look again.
 */
const regionOuReconciler: Reconciler<
  StepContext,
  { session: OrganizationSession; observed: ObservedRegion }
> = {
  async observe(ctx) {
    const session = await payerSession(ctx);
    return { session, observed: await observeRegion(session, ctx.desired) };
  },

  plan(ctx, { observed }) {
    return planOuPath(ctx.desired, observed);
  },

  async apply(_ctx, { session, observed }, action) {
    const level =
      action.action === 'create-ou' ? levelOf(observed, action.target) : -1;
    if (level < 0)
      throw new TerminalError(
        `the region OU step cannot ${action.action} ${action.target}`,
      );
    const parentId =
      level === 0 ? observed.rootId : observed.ouPath[level - 1].id;
    if (!parentId)
      throw new TerminalError(`${action.target} has no parent OU yet`);
    const ouPath = [...observed.ouPath];
    ouPath[level] = {
      ...ouPath[level],
      id: await ensureOu(session, parentId, ouPath[level].name),
    };
    return { session, observed: { ...observed, ouPath } };
  },

  outputs(_ctx, { observed }) {
    const outputs: RegionOuOutputs = {
      rootId: observed.rootId,
      // Absent in a dry run's plan of a region OU that does not exist yet.
      ...(observed.ouPath.at(-1)?.id
        ? { regionOuId: observed.ouPath.at(-1)!.id }
        : {}),
      accountIds: Object.fromEntries(
        Object.entries(observed.accounts).map(([name, a]) => [name, a.id]),
      ),
      inFlight: observed.inFlight,
    };
    return outputs;
  },
};

export const mintRegionOu = reconcileStep(regionOuReconciler);
