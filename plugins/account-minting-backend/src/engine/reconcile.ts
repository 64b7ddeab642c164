import { JsonObject } from '@backstage/types';
import { PlanAction } from '@regional-minting/plugin-account-minting-common';
import { TerminalError } from '../aws/retry';
import { BaseStepContext } from './stepContext';

/**
 * What a step cannot observe until an earlier step has changed AWS, such as the role
 * of an account that the same run creates first. A run fails the step with it, since
 * the earlier step should have made it; a dry run plans the step as pending instead.
 */
export class NotYetObservableError extends TerminalError {
  constructor(message: string) {
    super(message);
    this.name = 'NotYetObservableError';
  }
}

/**
 * One kind of step as crossplane's managed reconcilers are written: it observes what
 * it manages, plans from that observation alone, and applies the actions of its plan
 * one by one. Applying an action may learn something the next action needs (the id
 * of an account just created), so it returns the observation as it now is.
 */
export interface Reconciler<
  Ctx extends BaseStepContext,
  Observed,
  Action extends StepAction = PlanAction,
> {
  observe(ctx: Ctx): Promise<Observed>;
  /** What it takes to make the observation the desired state; `none` actions say why nothing. */
  plan(ctx: Ctx, observed: Observed): Action[];
  /** Carries out one action; idempotent, since a crash may repeat it. */
  apply(ctx: Ctx, observed: Observed, action: Action): Promise<Observed>;
  /** What the step tells the steps that depend on it. */
  outputs(ctx: Ctx, observed: Observed): JsonObject | Promise<JsonObject>;
}

/** One action of a step's plan: what it does, to what, and why. */
export type StepAction = Pick<PlanAction, 'action' | 'target' | 'reason'>;

/** Whether an action changes something: not a reason for nothing, nor what a decommission leaves in place. */
export function isChange(action: StepAction): boolean {
  return action.action !== 'none' && action.action !== 'leave-in-place';
}

/**
 * The step handler of a reconciler: observe, plan, record the plan, then, unless the
 * step is a dry run's, apply exactly that plan. A dry run is this same code stopping
 * before apply, so what it shows is what a run would do from the same observation.
 */
export function reconcileStep<
  Ctx extends BaseStepContext,
  Observed,
  Action extends StepAction,
>(
  reconciler: Reconciler<Ctx, Observed, Action>,
): (ctx: Ctx) => Promise<JsonObject> {
  return async ctx => {
    let observed = await reconciler.observe(ctx);
    const actions = reconciler.plan(ctx, observed);
    await ctx.saveProgress({ plan: { actions } as unknown as JsonObject });
    const changes = actions.filter(isChange);
    if (ctx.intent === 'plan') return reconciler.outputs(ctx, observed);
    for (const action of changes) {
      observed = await reconciler.apply(ctx, observed, action);
      ctx.log('info', `${action.action} ${action.target}: ${action.reason}`);
    }
    if (changes.length === 0)
      ctx.log(
        'info',
        `${ctx.step.title}: ${actions[0]?.reason ?? 'nothing to change'}`,
      );
    return reconciler.outputs(ctx, observed);
  };
}
