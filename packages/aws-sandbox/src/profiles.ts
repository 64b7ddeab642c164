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
  /** Added to every API call. */
  apiCallMs: number;
  /** Requests per second that each organization's token bucket refills; Infinity turns throttling off. */
  organizationRequestsPerSecond: number;
  /** Requests an idle organization may send at once. */
  organizationBurst: number;
}

export const PROFILES: Record<string, LatencyProfile> = {
  instant: {
    name: 'instant',
    accountCreationMs: 0,
    accountReadinessMs: 0,
    accountClosureMs: 0,
    apiCallMs: 0,
    organizationRequestsPerSecond: Infinity,
    organizationBurst: Infinity,
  },
  realistic: {
    name: 'realistic',
    accountCreationMs: 4 * 60_000,
    accountReadinessMs: 60_000,
    accountClosureMs: 10 * 60_000,
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
