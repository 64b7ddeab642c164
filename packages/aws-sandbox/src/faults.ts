import { z } from 'zod';
import { AwsError } from './errors';
import { seededRandom } from './random';

/** A planned fault: fail or slow down the next calls of an operation, or a share of them. */
export const faultSchema = z
  .object({
    /** The operation, such as `CreateAccount` or `PutObject`. */
    operation: z.string().min(1),
    /** The service, when an operation name is not enough: organizations, sts, iam or s3. */
    service: z.enum(['organizations', 'sts', 'iam', 's3']).optional(),
    /** Only calls made by principals of this account. */
    accountId: z
      .string()
      .regex(/^\d{12}$/, 'must be 12 digits')
      .optional(),
    /** How many calls it applies to; absent means every call until cleared. */
    count: z.number().int().positive().optional(),
    /**
     * The share of matching calls it applies to, from 0 to 1, drawn call by call; absent means every
     * one. With `count`, it applies to that many of the calls drawn.
     */
    probability: z.number().min(0).max(1).optional(),
    /** Seeds the draws of `probability`, so that a run can be repeated; Math.random when absent. */
    seed: z.number().int().optional(),
    /** The AWS error to answer with. */
    error: z
      .object({
        code: z.string().min(1),
        message: z.string().default('Injected by the sandbox fault plan'),
        statusCode: z.number().int().min(400).max(599).default(400),
        reason: z.string().optional(),
      })
      .optional(),
    /** Extra latency before the call is answered. */
    latencyMs: z.number().nonnegative().optional(),
  })
  .refine(f => f.error || f.latencyMs !== undefined, {
    message: 'a fault needs an error, a latencyMs or both',
  });

export type FaultSpec = z.infer<typeof faultSchema>;

interface ActiveFault extends FaultSpec {
  remaining: number;
  /** Numbers in [0, 1) for the draws of `probability`. */
  draw: () => number;
}

/** The faults planned through the admin API, consumed call by call. */
export class FaultPlan {
  private faults: ActiveFault[] = [];

  /** `random` draws for faults with a probability and no seed of their own. */
  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): void {
    this.faults.push({
      ...spec,
      remaining: spec.count ?? Infinity,
      draw: spec.seed === undefined ? this.random : seededRandom(spec.seed),
    });
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.map(({ remaining, draw: _draw, ...spec }) => ({
      ...spec,
      count: Number.isFinite(remaining) ? remaining : undefined,
    }));
  }

  /** Takes the faults that apply to a call: the error to answer with, and the latency to add. */
  take(service: string, operation: string, accountId: string | undefined) {
    let error: AwsError | undefined;
    let latencyMs = 0;
    for (const fault of this.faults) {
      if (
        fault.operation !== operation ||
        (fault.service && fault.service !== service) ||
        (fault.accountId && fault.accountId !== accountId)
      ) {
        continue;
      }
      if (
        fault.probability !== undefined &&
        fault.draw() >= fault.probability
      ) {
        continue;
      }
      fault.remaining -= 1;
      latencyMs += fault.latencyMs ?? 0;
      if (fault.error && !error) {
        error = new AwsError(
          fault.error.code,
          fault.error.message,
          fault.error.statusCode,
          fault.error.reason ? { Reason: fault.error.reason } : {},
        );
      }
    }
    this.faults = this.faults.filter(f => f.remaining > 0);
    return { error, latencyMs };
  }
}
