import { PayerGates } from './OrganizationSession';

describe('PayerGates', () => {
  afterEach(() => jest.useRealTimers());

  it("starts a second's worth of each payer's calls at once, the rest the next second, and payers apart", async () => {
    jest.useFakeTimers();
    const gates = new PayerGates({
      callConcurrency: 8,
      callsPerSecond: 2,
    });
    const started: string[] = [];
    const call = (payer: string, n: number) =>
      gates.calls(payer)(async () => {
        started.push(`${payer}${n}`);
      });
    const all = Promise.all([
      call('a', 1),
      call('a', 2),
      call('a', 3),
      call('b', 1),
    ]);

    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['a1', 'a2', 'b1']);
    await jest.advanceTimersByTimeAsync(999);
    expect(started).toEqual(['a1', 'a2', 'b1']);
    await jest.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    await all;
  });

  it('keeps no more calls of a payer in flight than its concurrency', async () => {
    const gates = new PayerGates({
      callConcurrency: 2,
      callsPerSecond: 1000,
    });
    let inFlight = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const calls = Array.from({ length: 5 }, () =>
      gates.calls('a')(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise<void>(resolve => release.push(resolve));
        inFlight--;
      }),
    );
    // Wait until the gate has started as many as it may, then finish those, until all five ran.
    for (let released = 0; released < 5; ) {
      while (release.length < Math.min(2, 5 - released)) {
        await new Promise(resolve => setTimeout(resolve, 1));
      }
      // One more turn: a third call would start now if the gate let it.
      await new Promise(resolve => setTimeout(resolve, 5));
      const running = release.splice(0);
      expect(running.length).toBeLessThanOrEqual(2);
      running.forEach(finish => finish());
      released += running.length;
    }
    await Promise.all(calls);
    expect(most).toBe(2);
  });
});
