import { Sandbox } from '@regional-minting/aws-sandbox';

/** Calls of one operation that the sandbox keeps waiting until the test lets them through. */
export interface HeldCalls {
  /** How many calls are waiting now. */
  waiting(): number;
  /** Lets the waiting calls and every later one through, and stops holding. */
  release(): void;
}

/**
 * Holds every call of `operation` before the sandbox handles it, until `release()`:
 * a run that makes such a call stays running for as long as the test needs, however
 * fast or slow the machine, where a latency fault would only keep it running for a while.
 */
export function holdCalls(sandbox: Sandbox, operation: string): HeldCalls {
  const invoke = Object.getPrototypeOf(sandbox).invoke as Sandbox['invoke'];
  let waiting = 0;
  let release!: () => void;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  sandbox.invoke = async function held(this: Sandbox, ...args) {
    if (args[1] === operation) {
      waiting += 1;
      try {
        await released;
      } finally {
        waiting -= 1;
      }
    }
    return invoke.apply(this, args);
  };
  return {
    waiting: () => waiting,
    release() {
      // Back to the class's own method for the calls to come.
      delete (sandbox as Partial<Sandbox>).invoke;
      release();
    },
  };
}
