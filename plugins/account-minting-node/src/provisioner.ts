import { JsonObject, JsonValue } from '@backstage/types';

/** The account a provisioning step runs against. */
export interface ProvisionTarget {
  accountId: string;
  accountName: string;
  /** The account role, such as `regional-cluster`. */
  role: string;
  /** The AWS region of the account's region, such as `us-east-1`. */
  region: string;
  regionOu: string;
}

/** What a provisioner gets for one step. */
export interface ProvisionContext {
  target: ProvisionTarget;
  /** The step's options from `accountRoles[].provision[].options`. */
  options: JsonObject;
  /** The outputs of the account's earlier steps, by step name. */
  previousOutputs: Record<string, JsonObject>;
  /** Aborted on cancel and on the step's timeout. */
  signal: AbortSignal;
  /** Appends a line to the step's log. */
  log(line: string): void;
}

/** A pluggable kind of provisioning step, such as `terraform` or `command`. */
export interface Provisioner {
  /** The name steps use to pick this provisioner. */
  readonly name: string;
  /** Applies the step and returns its outputs. */
  provision(context: ProvisionContext): Promise<Record<string, JsonValue>>;
}
