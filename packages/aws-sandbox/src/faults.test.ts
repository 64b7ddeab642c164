import { FaultPlan, faultSchema } from './faults';

const throttle = {
  code: 'TooManyRequestsException',
  message: 'slow down',
  statusCode: 400,
};

/** How many of `calls` calls of ListRoots the plan fails. */
function failures(plan: FaultPlan, calls: number) {
  let failed = 0;
  for (let i = 0; i < calls; i++) {
    if (plan.take('organizations', 'ListRoots', '200000000001').error) {
      failed += 1;
    }
  }
  return failed;
}

describe('the fault plan', () => {
  it('fails the share of calls its probability says, drawn call by call', () => {
    const plan = new FaultPlan();
    plan.add({
      operation: 'ListRoots',
      probability: 0.3,
      seed: 7,
      error: throttle,
    });
    const failed = failures(plan, 2000);
    expect(failed).toBeGreaterThan(2000 * 0.25);
    expect(failed).toBeLessThan(2000 * 0.35);
    // The fault stays planned: it has no count.
    expect(plan.list()).toEqual([
      expect.objectContaining({ operation: 'ListRoots', probability: 0.3 }),
    ]);
  });

  it('draws the same calls again with the same seed', () => {
    const pattern = (seed: number) => {
      const plan = new FaultPlan();
      plan.add({
        operation: 'ListRoots',
        probability: 0.5,
        seed,
        error: throttle,
      });
      return Array.from(
        { length: 50 },
        () =>
          plan.take('organizations', 'ListRoots', undefined).error !==
          undefined,
      );
    };
    expect(pattern(42)).toEqual(pattern(42));
    expect(pattern(42)).not.toEqual(pattern(43));
  });

  it('draws with the plan’s random source when a fault has no seed', () => {
    const draws = [0.9, 0.1, 0.5, 0.29];
    const plan = new FaultPlan(() => draws.shift()!);
    plan.add({ operation: 'ListRoots', probability: 0.3, error: throttle });
    expect(failures(plan, 4)).toBe(2);
  });

  it('counts only the calls it applied to, then is gone', () => {
    const draws = [0.5, 0.1, 0.5, 0.1, 0.1];
    const plan = new FaultPlan(() => draws.shift()!);
    plan.add({
      operation: 'ListRoots',
      probability: 0.3,
      count: 2,
      error: throttle,
    });
    expect(failures(plan, 4)).toBe(2);
    expect(plan.list()).toEqual([]);
    expect(failures(plan, 1)).toBe(0);
  });

  it('never applies at 0 and always at 1, latency included', () => {
    const plan = new FaultPlan();
    plan.add({ operation: 'ListRoots', probability: 0, error: throttle });
    expect(failures(plan, 100)).toBe(0);
    plan.clear();
    plan.add({ operation: 'CreateAccount', probability: 1, latencyMs: 25 });
    expect(plan.take('organizations', 'CreateAccount', undefined)).toEqual({
      error: undefined,
      latencyMs: 25,
    });
  });

  it('refuses a probability outside 0..1 and a seed that is not an integer', () => {
    expect(
      faultSchema.safeParse({
        operation: 'ListRoots',
        probability: 1.5,
        latencyMs: 1,
      }).success,
    ).toBe(false);
    expect(
      faultSchema.safeParse({
        operation: 'ListRoots',
        probability: -0.1,
        latencyMs: 1,
      }).success,
    ).toBe(false);
    expect(
      faultSchema.safeParse({
        operation: 'ListRoots',
        probability: 0.5,
        seed: 1.5,
        latencyMs: 1,
      }).success,
    ).toBe(false);
  });
});
