import { ZodIssue, ZodType } from 'zod';
import { AwsError } from '../errors';
import { ScaledProfile } from '../profiles';
import { PrincipalRecord } from '../state/model';
import { SandboxState } from '../state/SandboxState';

/** What operations see of the sandbox: its estate, how long things take, and the work that is due. */
export interface SandboxWorld {
  readonly state: SandboxState;
  readonly profile: ScaledProfile;
  /** Finishes the asynchronous work whose time has come. */
  settle(): void;
}

/** What an operation's handler gets besides its input. */
export interface CallContext {
  sandbox: SandboxWorld;
  caller: PrincipalRecord;
  /** The sandbox clock's time when the call arrived. */
  now: number;
  requestId: string;
}

/** One operation of a service: its input schema and what it does. */
export interface Operation<TInput = any, TOutput = unknown> {
  /** Whether it changes state: logged with each call, and saved to the state file. */
  mutating: boolean;
  input: ZodType<TInput, any, any>;
  handle(ctx: CallContext, input: TInput): TOutput | Promise<TOutput>;
}

/** A service the sandbox speaks, with the errors it answers bad calls with. */
export interface ServiceDefinition {
  name: 'organizations' | 'sts' | 'iam' | 's3' | 'servicequotas' | 'account';
  operations: Record<string, Operation>;
  /** Whether calls are throttled per organization. */
  throttled: boolean;
  unknownOperation(operation: string): AwsError;
  /** The error for input that breaks the operation's schema; `issue` is the first rule broken. */
  invalidInput(message: string, issue?: ZodIssue): AwsError;
  unknownCredentials(): AwsError;
  expiredCredentials(): AwsError;
  throttledError(): AwsError;
}

/** Declares an operation with its input type inferred from the schema. */
export function operation<TInput, TOutput>(
  definition: Operation<TInput, TOutput>,
): Operation<TInput, TOutput> {
  return definition;
}
