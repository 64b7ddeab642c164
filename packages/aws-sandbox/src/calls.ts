/** One call the sandbox answered. */
export interface CallRecord {
  time: string;
  service: string;
  operation: string;
  /** The caller's ARN; absent when the credentials were not recognised. */
  principal?: string;
  account?: string;
  mutating: boolean;
  durationMs: number;
  /** The AWS error code the call was answered with. */
  error?: string;
}

const MAX_CALLS = 200_000;

/** Every call, for tests and benchmarks that count what the product did. */
export class CallLog {
  private calls: CallRecord[] = [];

  add(call: CallRecord): void {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) {
      this.calls.splice(0, this.calls.length - MAX_CALLS);
    }
  }

  list(): CallRecord[] {
    return this.calls;
  }

  clear(): void {
    this.calls = [];
  }
}
