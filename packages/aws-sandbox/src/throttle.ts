/**
 * One token bucket per organization, refilled lazily from the clock: a call takes a
 * token, and finds none when an organization is called faster than its rate allows.
 */
export class OrganizationThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {}

  /** Whether a call of `key` (an organization or an account) may go through at `now`. */
  tryTake(key: string, now: number): boolean {
    if (!Number.isFinite(this.ratePerSecond)) return true;
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
