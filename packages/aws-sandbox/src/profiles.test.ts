import { PROFILES, profileNamed, scaleProfile } from './profiles';

describe('latency profiles', () => {
  it('compresses every duration and speeds up throttling by the time scale', () => {
    const replay = scaleProfile(PROFILES.realistic, 0.01);
    expect(replay.accountCreationMs).toBe(2400);
    expect(replay.accountReadinessMs).toBe(600);
    expect(replay.closeQuotaWindowMs).toBeCloseTo(30 * 24 * 36_000);
    expect(replay.closedAccountRetentionMs).toBeCloseTo(90 * 24 * 36_000);
    expect(replay.apiCallMs).toBeCloseTo(0.3);
    expect(replay.organizationRequestsPerSecond).toBe(1000);
    expect(replay.organizationBurst).toBe(PROFILES.realistic.organizationBurst);
  });

  it('refuses time scales and profile names that mean nothing', () => {
    expect(() => scaleProfile(PROFILES.instant, 0)).toThrow(
      'timeScale: must be a positive number (got 0)',
    );
    expect(() => profileNamed('slow')).toThrow(
      'profile: unknown profile "slow"; use one of instant, realistic',
    );
  });
});
