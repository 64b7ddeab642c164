/**
 * How long things take in the sandbox, and how fast each organization may be called.
 * Every duration is multiplied by the time scale; the throttling rates are divided by it,
 * so a replay at a time scale of 0.01 is 100 times faster in every respect.
 */
export interface LatencyProfile {
  name: string;
  /** From CreateAccount to SUCCEEDED or FAILED. */
  accountCreationMs: number;
  /** From SUCCEEDED until the account's roles can be assumed. */
  accountReadinessMs: number;
  /** From CloseAccount (PENDING_CLOSURE) to SUSPENDED. */
  accountClosureMs: number;
  /** The rolling window of an organization's close account quota: AWS's is 30 days. */
  closeQuotaWindowMs: number;
  /** How long a SUSPENDED account stays in its organization: AWS removes it after 90 days. */
  closedAccountRetentionMs: number;
  /** Added to every API call. */
  apiCallMs: number;
  /** Requests per second that each organization's token bucket refills; Infinity turns throttling off. */
  organizationRequestsPerSecond: number;
  /** Requests an idle organization may send at once. */
  organizationBurst: number;
}

const DAY_MS = 24 * 3600_000;
// AWS's rules rather than latencies, so every profile keeps them.
const CLOSURE_RULES = {
  closeQuotaWindowMs: 30 * DAY_MS,
  closedAccountRetentionMs: 90 * DAY_MS,
};

export const PROFILES: Record<string, LatencyProfile> = {
  instant: {
    name: 'instant',
    accountCreationMs: 0,
    accountReadinessMs: 0,
    accountClosureMs: 0,
    ...CLOSURE_RULES,
    apiCallMs: 0,
    organizationRequestsPerSecond: Infinity,
    organizationBurst: Infinity,
  },
  realistic: {
    name: 'realistic',
    accountCreationMs: 4 * 60_000,
    accountReadinessMs: 60_000,
    accountClosureMs: 10 * 60_000,
    ...CLOSURE_RULES,
    apiCallMs: 30,
    organizationRequestsPerSecond: 10,
    organizationBurst: 20,
  },
};

/** A profile with the time scale applied. */
export interface ScaledProfile extends LatencyProfile {
  timeScale: number;
}

export function scaleProfile(
  profile: LatencyProfile,
  timeScale: number,
): ScaledProfile {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new Error(`timeScale: must be a positive number (got ${timeScale})`);
  }
  return {
    ...profile,
    timeScale,
    accountCreationMs: profile.accountCreationMs * timeScale,
    accountReadinessMs: profile.accountReadinessMs * timeScale,
    accountClosureMs: profile.accountClosureMs * timeScale,
    closeQuotaWindowMs: profile.closeQuotaWindowMs * timeScale,
    closedAccountRetentionMs: profile.closedAccountRetentionMs * timeScale,
    apiCallMs: profile.apiCallMs * timeScale,
    organizationRequestsPerSecond:
      profile.organizationRequestsPerSecond / timeScale,
    organizationBurst: profile.organizationBurst,
  };
}

export function profileNamed(name: string): LatencyProfile {
  const profile = PROFILES[name];
  if (!profile) {
    throw new Error(
      `profile: unknown profile ${JSON.stringify(
        name,
      )}; use one of ${Object.keys(PROFILES).join(', ')}`,
    );
  }
  return profile;
}
