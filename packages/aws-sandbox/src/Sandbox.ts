import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZodError } from 'zod';
import { CallLog } from './calls';
import { Clock, systemClock } from './clock';
import { enforceServiceControlPolicies } from './auth/scpEnforcement';
import { asAwsError } from './errors';
import { FaultPlan } from './faults';
import {
  LatencyProfile,
  PROFILES,
  ScaledProfile,
  scaleProfile,
} from './profiles';
import { buildState } from './seed/buildState';
import { Seed } from './seed/schema';
import { CreateAccountRequestRecord, PrincipalRecord } from './state/model';
import { SandboxState } from './state/SandboxState';
import { finishAccountCreation } from './services/organizations/accountCreation';
import { removeClosedAccount } from './services/organizations/closure';
import { SandboxWorld, ServiceDefinition } from './services/types';
import { OrganizationThrottle } from './throttle';

export interface SandboxCoreOptions {
  seed: Seed;
  profile?: LatencyProfile;
  timeScale?: number;
  clock?: Clock;
  /** A saved state to start from instead of the seed. */
  state?: SandboxState;
}

/** Who is calling: the access key and session token from the request. */
export interface CallerCredentials {
  accessKeyId?: string;
  sessionToken?: string;
}

function describeZodError(error: ZodError): string {
  return error.issues
    .map(issue => `${issue.path.join('.') || 'input'}: ${issue.message}`)
    .join('; ');
}

/**
 * The sandbox without its HTTP front: the state, the clock and profile, and the
 * pipeline every call goes through (authenticate, settle, validate, faults,
 * throttle, latency, handle, log).
 */
export class Sandbox implements SandboxWorld {
  state: SandboxState;
  readonly clock: Clock;
  readonly profile: ScaledProfile;
  readonly faults = new FaultPlan();
  readonly calls = new CallLog();
  private readonly seed: Seed;
  private throttle: OrganizationThrottle;
  private readonly changeListeners: (() => void)[] = [];

  constructor(options: SandboxCoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.profile = scaleProfile(
      options.profile ?? PROFILES.instant,
      options.timeScale ?? 1,
    );
    this.seed = options.seed;
    this.state = options.state ?? buildState(options.seed, this.clock.now());
    this.throttle = this.newThrottle();
  }

  /** Calls `listener` after every change of state, such as to save it. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private changed(): void {
    this.changeListeners.forEach(listener => listener());
  }

  /** Back to the seed: a new estate, no faults, no calls. */
  reset(): void {
    this.state = buildState(this.seed, this.clock.now());
    this.faults.clear();
    this.calls.clear();
    this.throttle = this.newThrottle();
    this.changed();
  }

  /** Changes the estate outside any AWS call, as the admin API does, and tells the listeners. */
  change<T>(apply: (state: SandboxState, now: number) => T): T {
    this.settle();
    const result = apply(this.state, this.clock.now());
    this.changed();
    return result;
  }

  /** Finishes the asynchronous work whose time has come. */
  settle(): void {
    const changed = this.state.settle(this.clock.now(), {
      finishCreation: (request: CreateAccountRequestRecord) =>
        finishAccountCreation(this, request),
      closedAccountRetentionMs: this.profile.closedAccountRetentionMs,
      removeClosedAccount: account => removeClosedAccount(this.state, account),
    });
    if (changed) this.changed();
  }

  /** Runs one call of a service's operation as the caller the credentials name. */
  async invoke(
    service: ServiceDefinition,
    operationName: string,
    credentials: CallerCredentials,
    rawInput: unknown,
    requestId: string = randomUUID(),
  ): Promise<unknown> {
    const started = Date.now();
    const operation = Object.prototype.hasOwnProperty.call(
      service.operations,
      operationName,
    )
      ? service.operations[operationName]
      : undefined;
    let caller: PrincipalRecord | undefined;
    try {
      caller = this.authenticate(service, credentials);
      this.settle();
      if (!operation) throw service.unknownOperation(operationName);
      const parsed = operation.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        throw service.invalidInput(
          describeZodError(parsed.error),
          parsed.error.issues[0],
        );
      }
      enforceServiceControlPolicies(
        this.state,
        service.name,
        operationName,
        caller,
        parsed.data,
      );

      const fault = this.faults.take(
        service.name,
        operationName,
        caller.accountId,
      );
      const latency = this.profile.apiCallMs + fault.latencyMs;
      if (latency > 0) await sleep(latency);
      if (fault.error) throw fault.error;
      if (
        service.throttled &&
        !this.throttle.tryTake(this.throttleKey(caller), this.clock.now())
      ) {
        throw service.throttledError();
      }

      const output = await operation.handle(
        { sandbox: this, caller, now: this.clock.now(), requestId },
        parsed.data,
      );
      this.record(service, operationName, caller, operation.mutating, started);
      if (operation.mutating) this.changed();
      return output;
    } catch (error) {
      const awsError = asAwsError(error);
      this.record(
        service,
        operationName,
        caller,
        operation?.mutating ?? false,
        started,
        awsError.code,
      );
      throw awsError;
    }
  }

  /** The principal whose credentials these are. @throws the service's credential errors. */
  authenticate(
    service: ServiceDefinition,
    credentials: CallerCredentials,
  ): PrincipalRecord {
    const record = credentials.accessKeyId
      ? this.state.credentials.get(credentials.accessKeyId)
      : undefined;
    if (
      !record ||
      (record.sessionToken && record.sessionToken !== credentials.sessionToken)
    ) {
      throw service.unknownCredentials();
    }
    if (
      record.expiresAt !== undefined &&
      this.clock.now() >= record.expiresAt
    ) {
      throw service.expiredCredentials();
    }
    return record.principal;
  }

  /** Calls are throttled per organization: the one the caller's account manages or belongs to. */
  private throttleKey(caller: PrincipalRecord): string {
    return (
      this.state.accounts.get(caller.accountId)?.organizationId ??
      caller.accountId
    );
  }

  private record(
    service: ServiceDefinition,
    operation: string,
    caller: PrincipalRecord | undefined,
    mutating: boolean,
    started: number,
    error?: string,
  ) {
    this.calls.add({
      time: new Date(this.clock.now()).toISOString(),
      service: service.name,
      operation,
      principal: caller?.arn,
      account: caller?.accountId,
      mutating,
      durationMs: Date.now() - started,
      error,
    });
  }

  private newThrottle() {
    return new OrganizationThrottle(
      this.profile.organizationRequestsPerSecond,
      this.profile.organizationBurst,
    );
  }
}
