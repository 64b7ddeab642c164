import { JsonObject } from '@backstage/types';

/** What a provisioning step runs against: an account of a region, or the region as a whole. */
export interface ProvisionTarget {
  region: string;
  regionOu: string;
  environment: string;
  payer: string;
  /** Absent for region steps, which act on the region as a whole. */
  account?: {
    id: string;
    name: string;
    /** The account role, such as `regional-cluster`. */
    role: string;
    index: number;
  };
}

/** Short-lived AWS credentials for the step: the account's provisioning role, or the central pipeline's. */
export interface ProvisionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** What a provisioner gets for one step. */
export interface ProvisionContext {
  target: ProvisionTarget;
  /** The step's name, from `accountRoles[].provision[].name` or `regionSteps[].name`. */
  stepName: string;
  /** The step's options from configuration. */
  options: JsonObject;
  credentials: ProvisionCredentials;
  /** Where AWS clients go: the region, and an endpoint that replaces AWS (the sandbox). */
  aws: { region: string; endpoint?: string };
  /** Where the step keeps its state: the central bucket, one key per account and step. */
  state: { bucket: string; key: string; region: string };
  /** Outputs of the account's earlier steps by step name; for region steps, every account's, by account name. */
  previousOutputs: Record<string, JsonObject>;
  /** Aborted on cancel and on the step's timeout. */
  signal: AbortSignal;
  /** Appends a line to the step's log. */
  log(line: string): void;
}

/** What a provisioner's plan-only mode found. */
export interface ProvisionDrift {
  drift: boolean;
  summary: string;
}

/** A pluggable kind of provisioning step, such as `terraform` or `command`. */
export interface Provisioner {
  /** The name steps use to pick this provisioner. */
  readonly name: string;
  /** Applies the step and returns its outputs. */
  provision(context: ProvisionContext): Promise<JsonObject>;
  /** Reports, without changing anything, whether applying would change something. */
  plan?(context: ProvisionContext): Promise<ProvisionDrift>;
  /**
   * Destroys what `provision` made for this step, with the same state; idempotent: destroying
   * what is already gone succeeds. A provisioner without it leaves its resources in place.
   */
  destroy?(context: ProvisionContext): Promise<void>;
  /**
   * Whether `destroy` can act on this step, for provisioners where that depends on the step's
   * options (a `command` step without a destroy command). Absent: every step can.
   */
  canDestroy?(context: ProvisionContext): boolean;
}

/**
 * Whether decommissioning can destroy this step's resources: the provisioner has `destroy`, and
 * its `canDestroy` (when it has one) accepts the step. Otherwise the resources are left in place.
 */
export function hasDestroy(
  provisioner: Provisioner,
  context: ProvisionContext,
): boolean {
  return (
    provisioner.destroy !== undefined &&
    (provisioner.canDestroy?.(context) ?? true)
  );
}
