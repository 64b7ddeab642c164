import { JsonObject } from '@backstage/types';
import { ProvisionerRegistry } from '@regional-minting/plugin-account-minting-node';
import { AwsClients } from '../aws/AwsClients';
import { CreationSlots } from '../aws/CreationSlots';
import { OrganizationObservers } from '../aws/observer/OrganizationObserver';
import {
  openPayerSession,
  OrganizationSession,
  PayerGates,
} from '../aws/OrganizationSession';
import { BackoffOptions } from '../aws/retry';
import { MintingConfig, PayerConfig } from '../config/mintingConfig';
import { RunRecord, StepRecord } from '../runs/types';

/** How long the engine waits between looks at slow AWS work, and how it backs off. */
export interface EngineTiming {
  /** The first wait between two looks at an account creation; it grows by half each time. */
  pollMinMs: number;
  pollMaxMs: number;
  backoff: BackoffOptions;
}

/** What every step's handler gets from the executor: its run, its payer and the engine's means. */
export interface BaseStepContext {
  run: RunRecord;
  step: StepRecord;
  /** `plan` for a dry run's step: it observes and plans, and changes nothing. */
  intent: 'apply' | 'plan';
  /** The outputs of the steps this one depends on, by step key. */
  dependencyOutputs: Record<string, JsonObject | undefined>;
  config: MintingConfig;
  payer: PayerConfig;
  clients: AwsClients;
  gates: PayerGates;
  /** The creations in progress per payer organization, shared by every replica. */
  creationSlots: CreationSlots;
  /** Each payer organization as this backend's runs see it: its shared copy and its creations. */
  observers: OrganizationObservers;
  timing: EngineTiming;
  /** Records progress durably before the handler goes on: a plan, or an intent such as a CreateAccount. */
  saveProgress(patch: { plan?: JsonObject; state?: JsonObject }): Promise<void>;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  /** Aborted when the run is cancelled or the step's lease is lost. */
  signal: AbortSignal;
  /** The provisioners that backend modules registered, and the built-in ones. */
  provisioners: ProvisionerRegistry;
  /** Caps the provisioning steps this backend runs at once. */
  provisionGate: <T>(run: () => Promise<T>) => Promise<T>;
}

/**
 * An Organizations session in the step's payer, as its minting role. A run's step reads
 * through the payer's shared copy. A dry run's step reads AWS: a plan is what people
 * review and approve, so it shows AWS as it is. `fresh` (a drift check) reads AWS too,
 * and has the runs' copy read again after it.
 */
export function payerSession(
  ctx: BaseStepContext,
  options: { fresh?: boolean } = {},
): Promise<OrganizationSession> {
  const observer = ctx.observers.of(ctx.payer.name);
  if (options.fresh) observer.copy.clear();
  const shared = !options.fresh && ctx.intent === 'apply';
  return openPayerSession({
    observer,
    // A fresh session reads AWS each time, and leaves what it read in the copy.
    readsSince: shared ? Date.parse(ctx.run.createdAt) : Infinity,
    clients: ctx.clients,
    gates: ctx.gates,
    payer: ctx.payer,
    sessionName: `mint-${ctx.run.id.slice(0, 8)}-${ctx.step.key}`,
    backoff: {
      ...ctx.timing.backoff,
      signal: ctx.signal,
      onRetry: (error, attempt, delay) =>
        ctx.log(
          'warn',
          `${(error as Error).name}: retry ${attempt} in ${delay} ms`,
        ),
    },
  });
}
