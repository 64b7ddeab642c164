import { AwsCredentialIdentity } from '@aws-sdk/types';
import {
  CreateAccountCommand,
  ListCreateAccountStatusCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import PQueue from 'p-queue';
import { PayerConfig } from '../config/mintingConfig';
import { AwsClients } from './AwsClients';
import { BackoffOptions, DEFAULT_BACKOFF, withRetries } from './retry';
import { OrganizationObserver } from './observer/OrganizationObserver';

/** Runs a task when the gate lets it; tasks of a higher priority go first. */
export type Gate = <T>(task: () => Promise<T>, priority?: number) => Promise<T>;

/**
 * The calls that pace account creation, which AWS lets run only five at a time per
 * organization: they go before the others, which have the time creations take to run.
 */
const CREATION_PATH = [CreateAccountCommand, ListCreateAccountStatusCommand];

/**
 * Gates shared by every step this backend runs, one set per payer organization:
 * how many Organizations calls may be in flight and how many may start each
 * second (AWS throttles each organization's request rate, so calls are paced
 * under it rather than refused and retried). Account creations are gated
 * across replicas, by CreationSlots.
 */
export class PayerGates {
  private readonly callGates = new Map<string, Gate>();

  constructor(
    private readonly options: {
      callConcurrency: number;
      callsPerSecond: number;
    },
  ) {}

  calls(payer: string): Gate {
    let gate = this.callGates.get(payer);
    if (!gate) {
      // A second's worth of calls may start at once, as AWS's token buckets allow a burst;
      // then the next second's. Below one call a second, one per interval.
      const rate = this.options.callsPerSecond;
      const queue = new PQueue({
        concurrency: this.options.callConcurrency,
        intervalCap: Math.max(1, Math.floor(rate)),
        interval: rate >= 1 ? 1000 : Math.ceil(1000 / rate),
      });
      gate = (task, priority = 0) =>
        queue.add(task, { priority }) as Promise<
          Awaited<ReturnType<typeof task>>
        >;
      this.callGates.set(payer, gate);
    }
    return gate;
  }
}

/** An Organizations command such as `new ListRootsCommand({})`. */
type Command = object;
type SdkCommand = Parameters<OrganizationsClient['send']>[0];

/**
 * Organizations calls of one step in one payer: gated per organization, and
 * retried with backoff and jitter on throttling and contention.
 */
export class OrganizationSession {
  constructor(
    private readonly client: OrganizationsClient,
    private readonly gate: Gate,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    /** The payer role's credentials, for the few calls of other services it makes (PutAccountName). */
    readonly credentials?: AwsCredentialIdentity,
    /**
     * The organization's shared copy, for a run's steps: reads go through it, and what
     * this session changes is written into it. Drift checks and the estate read AWS.
     */
    readonly observer?: OrganizationObserver,
    /** The copy's reads older than this (the run's start) are read again: a run sees AWS as it was when it started. */
    readonly readsSince?: number,
  ) {}

  async send<Output>(command: Command): Promise<Output> {
    try {
      const output = await withRetries(
        () =>
          this.gate(
            () =>
              this.client.send(command as SdkCommand, {
                abortSignal: this.backoff.signal,
              }) as Promise<Output>,
            CREATION_PATH.some(kind => command instanceof kind) ? 1 : 0,
          ),
        this.backoff,
      );
      this.observer?.applied(command, output);
      return output;
    } catch (error) {
      this.observer?.failed(command, error);
      throw error;
    }
  }

  /** Every item of a paged list: follows NextToken to the end, even past empty pages. */
  async listAll<Item, Output extends { NextToken?: string }>(
    command: (nextToken: string | undefined) => Command,
    items: (output: Output) => Item[] | undefined,
  ): Promise<Item[]> {
    const all: Item[] = [];
    let token: string | undefined;
    do {
      const output: Output = await this.send<Output>(command(token));
      all.push(...(items(output) ?? []));
      token = output.NextToken;
    } while (token);
    return all;
  }
}

/**
 * Opens an Organizations session in a payer as its minting role. Its AWS session is
 * shared with every caller of the role while it has 15 minutes left (the first
 * caller's name stays on it); with an observer (a step's), reads go through the copy.
 */
export async function openPayerSession(options: {
  clients: AwsClients;
  gates: PayerGates;
  payer: PayerConfig;
  sessionName: string;
  backoff: BackoffOptions;
  observer?: OrganizationObserver;
  readsSince?: number;
}): Promise<OrganizationSession> {
  const { payer, observer } = options;
  const credentials = await options.clients.assumeRole({
    roleArn: payer.mintRoleArn,
    externalId: payer.externalId,
    sessionName: options.sessionName,
    reuse: true,
  });
  return new OrganizationSession(
    options.clients.organizations(credentials),
    options.gates.calls(payer.name),
    options.backoff,
    credentials,
    observer,
    options.readsSince,
  );
}
