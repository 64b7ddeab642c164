/**
 * Why a running step's work was stopped, as the reason of its abort signal. The
 * executor tells them apart by class: only a cancelled run records its step as
 * cancelled; a step stopped any other way is left to its lease and the next worker.
 */
export class StepStop extends Error {}

/** The step's run was cancelled. */
export class RunCancelledError extends StepStop {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelledError';
  }
}

/** Another worker took the step over, or its lease could not be renewed. */
export class LeaseLostError extends StepStop {
  constructor() {
    super('the lease was lost');
    this.name = 'LeaseLostError';
  }
}

/** The backend is stopping and abandons its steps to their leases. */
export class BackendStoppedError extends StepStop {
  constructor() {
    super('the backend stopped');
    this.name = 'BackendStoppedError';
  }
}

/** The step's handler returned or threw: calls it left running stop. */
export class StepEndedError extends StepStop {
  constructor() {
    super('the step ended');
    this.name = 'StepEndedError';
  }
}
