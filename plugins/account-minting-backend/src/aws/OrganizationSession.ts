import { AwsCredentialIdentity } from '@aws-sdk/types';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import PQueue from 'p-queue';
import { PayerConfig } from '../config/mintingConfig';
import { AwsClients } from './AwsClients';
import { BackoffOptions, DEFAULT_BACKOFF, withRetries } from './retry';
import { OrganizationObserver } from './observer/OrganizationObserver';

/** Runs a task when the gate lets it. */
export type Gate = <T>(task: () => Promise<T>) => Promise<T>;

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
      // Starts spread evenly: one every 1/rate seconds, never a burst.
      const queue = new PQueue({
        concurrency: this.options.callConcurrency,
        intervalCap: 1,
        interval: Math.ceil(1000 / this.options.callsPerSecond),
      });
      gate = task => queue.add(task);
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
          ),
        this.backoff,
      );
      this.observer?.applied(command, output);
      return output;
    } catch (error) {
      this.observer?.failed();
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
 * Opens an Organizations session in a payer as its minting role. With an observer (a
 * run's step), the role's session is shared by every step while it has 15 minutes
 * left, and reads go through the observer's copy.
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
    sessionName: observer
      ? `account-minting-${payer.name}`
      : options.sessionName,
    reuse: Boolean(observer),
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
