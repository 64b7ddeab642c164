import { z } from 'zod';
import { AwsError } from './errors';

/** A planned fault: fail or slow down the next calls of an operation. */
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
}

/** The faults planned through the admin API, consumed call by call. */
export class FaultPlan {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, remaining: spec.count ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.map(({ remaining, ...spec }) => ({
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
