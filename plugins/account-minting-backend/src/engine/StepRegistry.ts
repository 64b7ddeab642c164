import { JsonObject } from '@backstage/types';
import { TerminalError } from '../aws/retry';
import { BaseStepContext } from './stepContext';

/** Runs one kind of step from what the executor gives every step; what it returns becomes the step's outputs. */
export type StepRunner = (base: BaseStepContext) => Promise<JsonObject>;

/**
 * The one table the executor dispatches steps by, keyed by step kind. The pipelines
 * and the drift checks each register theirs, with whatever more their steps need
 * (a region and its earlier steps' outputs, a payer's estate): the executor knows
 * neither.
 */
export class StepRegistry {
  private readonly runners = new Map<string, StepRunner>();

  /** @throws Error for a kind registered already: two handlers of one kind are a wiring mistake. */
  register(runners: Record<string, StepRunner>): void {
    for (const [kind, runner] of Object.entries(runners)) {
      if (this.runners.has(kind)) {
        throw new Error(`step kind ${kind} is registered twice`);
      }
      this.runners.set(kind, runner);
    }
  }

  /** @throws TerminalError for a step of a kind nobody registered: no retry registers it. */
  run(base: BaseStepContext): Promise<JsonObject> {
    const runner = this.runners.get(base.step.kind);
    if (!runner) {
      throw new TerminalError(
        `no handler for steps of kind ${base.step.kind}; known kinds: ${[
          ...this.runners.keys(),
        ].join(', ')}`,
      );
    }
    return runner(base);
  }
}
