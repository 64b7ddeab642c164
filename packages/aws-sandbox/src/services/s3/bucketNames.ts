// Prefixes and suffixes S3 keeps for its own uses (IDNs, access point aliases,
// Object Lambda, Multi-Region Access Points, directory and table buckets).
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = [
  '-s3alias',
  '--ol-s3',
  '.mrap',
  '--x-s3',
  '--table-s3',
];

/**
 * What is wrong with a general purpose bucket name under S3's naming rules, or
 * undefined when it follows them. S3 answers InvalidBucketName with a generic
 * message; naming the broken rule makes the sandbox's answer actionable.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) {
    return `bucket names must be 3 to 63 characters long, not ${name.length}`;
  }
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return 'bucket names may only contain lowercase letters, digits, dots and hyphens';
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return 'bucket names must begin and end with a lowercase letter or a digit';
  }
  if (name.includes('..')) {
    return 'bucket names must not contain two adjacent dots';
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    return 'bucket names must not be formatted as an IP address';
  }
  const prefix = RESERVED_PREFIXES.find(p => name.startsWith(p));
  if (prefix)
    return `bucket names must not start with the reserved prefix ${prefix}`;
  const suffix = RESERVED_SUFFIXES.find(s => name.endsWith(s));
  if (suffix)
    return `bucket names must not end with the reserved suffix ${suffix}`;
  return undefined;
}
