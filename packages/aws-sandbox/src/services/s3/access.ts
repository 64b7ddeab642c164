import { BucketRecord } from '../../state/model';
import { CallContext } from '../types';
import { s3Errors } from './errors';

/**
 * The bucket `name`, when the caller may use it.
 *
 * The sandbox does not evaluate IAM or bucket policies for S3. A bucket is usable by
 * every principal of the account that owns it (as if their identity policies allowed
 * S3), and by every principal of the sandbox when `sharedWithAllAccounts` is set: that
 * flag stands in for a bucket policy granting all accounts access, such as the one a
 * central state bucket has. Anyone else gets AccessDenied, as S3 answers a principal
 * that no policy allows. A missing bucket is NoSuchBucket for everyone, as in S3.
 *
 * @throws NoSuchBucket or AccessDenied
 */
export function usableBucket(ctx: CallContext, name: string): BucketRecord {
  const bucket = ctx.sandbox.state.buckets.get(name);
  if (!bucket) throw s3Errors.noSuchBucket(name);
  if (
    bucket.ownerAccountId !== ctx.caller.accountId &&
    !bucket.sharedWithAllAccounts
  ) {
    throw s3Errors.accessDenied();
  }
  return bucket;
}
