import { Tags } from '../../state/model';
import { iamErrors } from './errors';
import { QUOTAS } from './quotas';

export interface TagInput {
  Key: string;
  Value: string;
}

/**
 * IAM treats tag keys without regard to case but keeps the case it was given:
 * tagging `department=hr` replaces `Department=finance`.
 */
const sameKey = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The tags a resource has after `tags` are applied: new keys are added, existing
 * ones overwritten. The request fails as a whole, as IAM's does.
 * @throws InvalidInput when the request names a key twice; LimitExceeded past 50 tags.
 */
export function withTags(current: Tags, tags: TagInput[]): Tags {
  tags.forEach((tag, i) => {
    if (tags.slice(0, i).some(earlier => sameKey(earlier.Key, tag.Key))) {
      throw iamErrors.invalidInput(
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      );
    }
  });
  // Built from entries so that any key, `__proto__` included, becomes an own entry.
  const merged = Object.fromEntries([
    ...Object.entries(
      withoutTags(
        current,
        tags.map(tag => tag.Key),
      ),
    ),
    ...tags.map(tag => [tag.Key, tag.Value]),
  ]);
  if (Object.keys(merged).length > QUOTAS.tagsPerResource) {
    throw iamErrors.limitExceeded(
      'The number of tags has reached the maximum limit.',
    );
  }
  return merged;
}

/** The tags a resource has after the keys are removed; keys it does not have are ignored, as IAM does. */
export function withoutTags(current: Tags, keys: string[]): Tags {
  return Object.fromEntries(
    Object.entries(current).filter(
      ([key]) => !keys.some(removed => sameKey(removed, key)),
    ),
  );
}
