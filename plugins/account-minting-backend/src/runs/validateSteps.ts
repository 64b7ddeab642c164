import { InputError } from '@backstage/errors';
import { NewStep } from './types';

/**
 * Refuses steps that could never all run: a run without steps, a key used twice,
 * a dependency on a key that is not in the run, or a cycle of dependencies.
 * Any of these would leave the run queued forever.
 */
export function assertValidSteps(steps: NewStep[]): void {
  if (steps.length === 0) {
    throw new InputError('A run needs at least one step');
  }
  assertUniqueKeys(steps);
  assertKnownDependencies(steps);
  assertNoDependencyCycle(steps);
}

function assertUniqueKeys(steps: NewStep[]): void {
  const seen = new Set<string>();
  for (const { key } of steps) {
    if (seen.has(key)) {
      throw new InputError(`Step key '${key}' is used more than once`);
    }
    seen.add(key);
  }
}

function assertKnownDependencies(steps: NewStep[]): void {
  const keys = new Set(steps.map(step => step.key));
  for (const step of steps) {
    const unknown = step.dependsOn.filter(key => !keys.has(key));
    if (unknown.length > 0) {
      throw new InputError(
        `Step '${step.key}' depends on unknown steps: ${unknown.join(', ')}`,
      );
    }
  }
}

/** Orders the steps by their dependencies; whatever cannot be ordered is in a cycle. */
function assertNoDependencyCycle(steps: NewStep[]): void {
  const ordered = new Set<string>();
  let remaining = steps;
  while (remaining.length > 0) {
    const ready = remaining.filter(step =>
      step.dependsOn.every(key => ordered.has(key)),
    );
    if (ready.length === 0) {
      const keys = remaining.map(step => step.key).join(', ');
      throw new InputError(`Steps depend on each other in a cycle: ${keys}`);
    }
    ready.forEach(step => ordered.add(step.key));
    remaining = remaining.filter(step => !ordered.has(step.key));
  }
}
