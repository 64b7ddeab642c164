import { AwsError } from './errors';

/** Who a set of credentials belongs to. */
export interface Principal {
  accountId: string;
  arn: string;
  /** The unique id AWS reports, such as `AIDA...` for users. */
  userId: string;
}

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Maps access keys to the principals they act as. */
export class Principals {
  private readonly byAccessKey = new Map<
    string,
    { secret: string; principal: Principal }
  >();

  addStaticCredentials(credentials: StaticCredentials, principal: Principal) {
    this.byAccessKey.set(credentials.accessKeyId, {
      secret: credentials.secretAccessKey,
      principal,
    });
  }

  /** @throws AwsError InvalidClientTokenId for an access key the sandbox never issued. */
  resolve(accessKeyId: string | undefined): Principal {
    const entry = accessKeyId ? this.byAccessKey.get(accessKeyId) : undefined;
    if (!entry) {
      throw new AwsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      );
    }
    return entry.principal;
  }
}
