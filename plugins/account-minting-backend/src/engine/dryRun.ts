import { JsonObject } from '@backstage/types';
import { PlanAction } from '@regional-minting/plugin-account-minting-common';
import { randomUUID } from 'node:crypto';
import { NewStep, RunRecord, StepRecord } from '../runs/types';
import { TerminalError } from '../aws/retry';
import { NotYetObservableError } from './reconcile';
import { BaseStepContext } from './stepContext';
import { StepRegistry } from './StepRegistry';

/** A step of a dry run: what it would do, or why that is known only once the steps before it ran. */
export interface PlannedStep extends NewStep {
  actions: PlanAction[];
}

/** What a dry run's steps share with a run's: the engine's means, without a run or a step. */
export type EngineMeans = Omit<
  BaseStepContext,
  | 'run'
  | 'step'
  | 'intent'
  | 'dependencyOutputs'
  | 'saveProgress'
  | 'log'
  | 'signal'
  | 'payer'
>;

function pending(step: NewStep, reason: string): PlanAction[] {
  return [{ action: 'pending', target: step.title, reason }];
}

/**
 * Plans a run's steps without creating the run: each step's own handler with intent
 * `plan`, in the order of the run's graph, given what the steps before it would
 * output. A step whose subject an earlier step must first create (an account's role
 * before its account exists) is planned as pending, and so is every step after it.
 */
export async function dryRun(options: {
  run: Pick<RunRecord, 'pipeline' | 'region' | 'account' | 'requestedBy'>;
  steps: NewStep[];
  registry: StepRegistry;
  means: EngineMeans;
  signal?: AbortSignal;
}): Promise<PlannedStep[]> {
  const { steps, registry, means } = options;
  const run: RunRecord = {
    ...options.run,
    id: `dryrun-${randomUUID()}`,
    mode: 'apply',
    status: 'running',
    createdAt: new Date().toISOString(),
  };
  const planned = new Map<string, PlannedStep>();
  const outputs = new Map<string, JsonObject>();

  const planStep = async (step: NewStep): Promise<PlannedStep> => {
    const waitsFor = step.dependsOn
      .map(key => planned.get(key)!)
      .find(dependency =>
        ['pending', 'blocked'].includes(dependency.actions[0]?.action),
      );
    if (waitsFor) {
      return {
        ...step,
        actions: pending(step, `planned once ${waitsFor.title} has run`),
      };
    }
    let plan: JsonObject | undefined;
    const record: StepRecord = {
      ...step,
      id: `${run.id}:${step.key}`,
      runId: run.id,
      status: 'running',
      attempts: 1,
    };
    const base: BaseStepContext = {
      ...means,
      run,
      step: record,
      intent: 'plan',
      payer: means.config.payers.find(p => p.name === step.target.payer)!,
      dependencyOutputs: Object.fromEntries(
        step.dependsOn.map(key => [key, outputs.get(key)]),
      ),
      saveProgress: async patch => {
        plan = patch.plan ?? plan;
      },
      log: () => {},
      signal: options.signal ?? new AbortController().signal,
    };
    try {
      outputs.set(step.key, await registry.run(base));
    } catch (error) {
      if (error instanceof NotYetObservableError)
        return { ...step, actions: pending(step, error.message) };
      // A step that would fail shows why, and the plan goes on around it.
      if (error instanceof TerminalError)
        return {
          ...step,
          actions: [
            { action: 'blocked', target: step.title, reason: error.message },
          ],
        };
      throw error;
    }
    const actions = (plan?.actions ?? []) as unknown as PlanAction[];
    return { ...step, actions };
  };

  // The run's graph, a wave of steps whose dependencies are planned at a time.
  let waiting = steps;
  while (waiting.length > 0) {
    const ready = waiting.filter(s => s.dependsOn.every(k => planned.has(k)));
    if (ready.length === 0) {
      throw new Error(
        `steps ${waiting
          .map(s => s.key)
          .join(', ')} wait for steps the run does not have`,
      );
    }
    const done = await Promise.all(ready.map(planStep));
    done.forEach(step => planned.set(step.key, step));
    waiting = waiting.filter(s => !planned.has(s.key));
  }
  return steps.map(s => planned.get(s.key)!);
}
