import { AccountClient } from '@aws-sdk/client-account';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  FinalizeRequestMiddleware,
  MiddlewareStack,
} from '@aws-sdk/types';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { Config } from '@backstage/config';
import { MintingConfig } from '../config/mintingConfig';
import { isThrottling } from './retry';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface AssumeRoleOptions {
  roleArn: string;
  /** Names the run and step in CloudTrail; made to fit STS's rules. */
  sessionName: string;
  externalId?: string;
  durationSeconds?: number;
  /** The credentials to assume the role with: the central account's when absent. */
  via?: Credentials;
  /**
   * Shares the session with every caller of the same role while it has 15 minutes
   * left (a payer's role, assumed from the central account: never a chained session).
   */
  reuse?: boolean;
}

// AWS's answers for credentials it does not know or no longer accepts.
const AUTH_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
]);

// A shared session is handed out only while it has this long left.
const REUSE_MARGIN_MS = 15 * 60 * 1000;

/** The characters and length STS allows in a session name. */
export function sessionName(...parts: string[]): string {
  return parts
    .join('-')
    .replace(/[^\w+=,.@-]/g, '-')
    .slice(0, 64);
}

/** What became of one attempt of an AWS call: the SDK's own retries are attempts of their own. */
export type AwsCallOutcome = 'ok' | 'throttled' | 'error';

/** Told of every attempt of every AWS call, such as ('organizations', 'ListRoots', 'ok'). */
export type AwsCallListener = (
  service: string,
  operation: string,
  outcome: AwsCallOutcome,
) => void;

/**
 * Reports each attempt of the client's calls to `onCall`: the middleware sits in the
 * finalizeRequest step after the SDK's retry middleware, so each retry passes through it.
 */
export function countCalls<Input extends object, Output extends object>(
  client: { middlewareStack: MiddlewareStack<Input, Output> },
  service: string,
  onCall: AwsCallListener,
): void {
  const middleware: FinalizeRequestMiddleware<Input, Output> =
    (next, context) => async args => {
      const operation = (context.commandName ?? 'unknown').replace(
        /Command$/,
        '',
      );
      const report = (outcome: AwsCallOutcome) => {
        try {
          onCall(service, operation, outcome);
        } catch {
          // Counting a call must not change what the call does.
        }
      };
      try {
        const result = await next(args);
        report('ok');
        return result;
      } catch (error) {
        report(isThrottling(error) ? 'throttled' : 'error');
        throw error;
      }
    };
  client.middlewareStack.add(middleware, {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'accountMintingCallCounter',
  });
}

/**
 * Makes the AWS SDK clients of the engine: the central account's credentials from
 * Backstage's AWS integration config or the default provider chain, every other
 * context through STS AssumeRole, and every client pointed at the configured
 * endpoint (the sandbox) when there is one.
 */
export class AwsClients {
  constructor(
    private readonly options: {
      region: string;
      endpoint?: string;
      central: AwsCredentialIdentityProvider;
      /** Told of every attempt of every call of the clients made here. */
      onCall?: AwsCallListener;
    },
  ) {}

  static async fromConfig(
    config: Config,
    minting: MintingConfig,
    onCall?: AwsCallListener,
  ): Promise<AwsClients> {
    const provider = await DefaultAwsCredentialsManager.fromConfig(
      config,
    ).getCredentialProvider();
    return new AwsClients({
      region: minting.aws.region,
      endpoint: minting.aws.endpoint,
      central: provider.sdkCredentialProvider,
      onCall,
    });
  }

  private clientConfig(credentials: Credentials) {
    // Our own retries handle throttling and contention with jitter; the SDK's handle the rest.
    return {
      region: this.options.region,
      endpoint: this.options.endpoint,
      credentials,
      maxAttempts: 3,
    };
  }

  private counted<T extends { middlewareStack: MiddlewareStack<any, any> }>(
    service: string,
    client: T,
  ): T {
    if (this.options.onCall) countCalls(client, service, this.options.onCall);
    return client;
  }

  private readonly shared = new Map<string, Promise<AwsCredentialIdentity>>();
  /** The key of each shared session, by its credentials: what to forget when AWS refuses them. */
  private readonly sharedKeys = new WeakMap<AwsCredentialIdentity, string>();

  /**
   * Forgets a shared session that AWS refused as unknown or expired (revoked early,
   * or an AWS that forgot it): the next caller assumes the role again.
   */
  private forgetOnAuthError<
    T extends { middlewareStack: MiddlewareStack<any, any> },
  >(client: T, credentials: Credentials): T {
    if (typeof credentials === 'function') return client;
    client.middlewareStack.add(
      next => async args => {
        try {
          return await next(args);
        } catch (error) {
          const key = this.sharedKeys.get(credentials);
          if (key && AUTH_ERRORS.has((error as Error).name)) {
            this.shared.delete(key);
            this.sharedKeys.delete(credentials);
          }
          throw error;
        }
      },
      { step: 'initialize', name: 'accountMintingForgetRefusedSession' },
    );
    return client;
  }

  async assumeRole(options: AssumeRoleOptions): Promise<AwsCredentialIdentity> {
    if (!options.reuse || options.via) return this.assume(options);
    const key = `${options.roleArn}\n${options.externalId ?? ''}`;
    const cached = this.shared.get(key);
    if (cached) {
      const credentials = await cached.catch(() => undefined);
      const left = (credentials?.expiration?.getTime() ?? 0) - Date.now();
      if (credentials && left > REUSE_MARGIN_MS) return credentials;
      if (this.shared.get(key) !== cached) return this.assumeRole(options);
    }
    // Callers at once share one AssumeRole.
    const assumed = this.assume(options);
    this.shared.set(key, assumed);
    assumed.then(
      credentials => this.sharedKeys.set(credentials, key),
      () => {},
    );
    assumed.catch(() => {
      if (this.shared.get(key) === assumed) this.shared.delete(key);
    });
    return assumed;
  }

  private async assume(
    options: AssumeRoleOptions,
  ): Promise<AwsCredentialIdentity> {
    const sts = this.counted(
      'sts',
      new STSClient(this.clientConfig(options.via ?? this.options.central)),
    );
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: sessionName(options.sessionName),
        ExternalId: options.externalId,
        DurationSeconds: options.durationSeconds,
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new Error(
        `AssumeRole of ${options.roleArn} returned no credentials`,
      );
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  }

  /** The central account's own credentials, for steps that act as the central pipeline. */
  centralCredentials(): Promise<AwsCredentialIdentity> {
    return this.options.central();
  }

  organizations(credentials: Credentials): OrganizationsClient {
    return this.counted(
      'organizations',
      // One attempt: throttled calls go back through the payer's paced gate and our backoff.
      this.forgetOnAuthError(
        new OrganizationsClient({
          ...this.clientConfig(credentials),
          maxAttempts: 1,
        }),
        credentials,
      ),
    );
  }

  /** The Account Management API: a payer's management account renames its member accounts. */
  account(credentials: Credentials): AccountClient {
    return this.counted(
      'account',
      this.forgetOnAuthError(
        new AccountClient(this.clientConfig(credentials)),
        credentials,
      ),
    );
  }

  iam(credentials: Credentials): IAMClient {
    return this.counted(
      'iam',
      this.forgetOnAuthError(
        new IAMClient(this.clientConfig(credentials)),
        credentials,
      ),
    );
  }

  /**
   * Service Quotas is regional: a global service's quotas, such as Organizations',
   * are read in `region` (us-east-1), whatever region the engine works in.
   */
  serviceQuotas(
    credentials: Credentials,
    region: string = this.options.region,
  ): ServiceQuotasClient {
    return this.counted(
      'servicequotas',
      this.forgetOnAuthError(
        new ServiceQuotasClient({ ...this.clientConfig(credentials), region }),
        credentials,
      ),
    );
  }
}
