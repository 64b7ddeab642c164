import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { Config } from '@backstage/config';
import { MintingConfig } from '../config/mintingConfig';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

export interface AssumeRoleOptions {
  roleArn: string;
  /** Names the run and step in CloudTrail; made to fit STS's rules. */
  sessionName: string;
  externalId?: string;
  durationSeconds?: number;
  /** The credentials to assume the role with: the central account's when absent. */
  via?: Credentials;
}

/** The characters and length STS allows in a session name. */
export function sessionName(...parts: string[]): string {
  return parts
    .join('-')
    .replace(/[^\w+=,.@-]/g, '-')
    .slice(0, 64);
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
    },
  ) {}

  static async fromConfig(
    config: Config,
    minting: MintingConfig,
  ): Promise<AwsClients> {
    const provider = await DefaultAwsCredentialsManager.fromConfig(
      config,
    ).getCredentialProvider();
    return new AwsClients({
      region: minting.aws.region,
      endpoint: minting.aws.endpoint,
      central: provider.sdkCredentialProvider,
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

  async assumeRole(options: AssumeRoleOptions): Promise<AwsCredentialIdentity> {
    const sts = new STSClient(
      this.clientConfig(options.via ?? this.options.central),
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
    return new OrganizationsClient(this.clientConfig(credentials));
  }

  iam(credentials: Credentials): IAMClient {
    return new IAMClient(this.clientConfig(credentials));
  }
}
