import { ObservedCopy } from './ObservedCopy';

describe('the shared copy of an organization', () => {
  let now = 0;
  const copyOf = (maxAgeMs = 1000) => new ObservedCopy(maxAgeMs, () => now);
  beforeEach(() => {
    now = 1000;
  });

  it('answers callers who ask for the same read at once with one call', async () => {
    const copy = copyOf();
    let calls = 0;
    let answer!: (ous: string[]) => void;
    const load = () => {
      calls += 1;
      return new Promise<string[]>(resolve => {
        answer = resolve;
      });
    };
    const reads = Promise.all([
      copy.read('ous:r-1', load),
      copy.read('ous:r-1', load),
      copy.read('ous:r-1', load),
    ]);
    answer(['prod']);
    expect(await reads).toEqual([['prod'], ['prod'], ['prod']]);
    expect(calls).toBe(1);
    // And later callers, while the read is young enough.
    expect(await copy.read('ous:r-1', load)).toEqual(['prod']);
    expect(calls).toBe(1);
  });

  it('reads again what is older than its age, or than the start of the run that asks', async () => {
    const copy = copyOf();
    let calls = 0;
    const load = async () => ++calls;
    await copy.read('accounts', load);
    now += 500;
    expect(await copy.read('accounts', load)).toBe(1);
    // A run that started after the read sees AWS as it was when it started.
    expect(await copy.read('accounts', load, { since: now })).toBe(2);
    now += 1001;
    expect(await copy.read('accounts', load)).toBe(3);
    expect(await copy.read('accounts', load, { fresh: true })).toBe(4);
  });

  it('does not let a fresh read join a read sent before it was asked for', async () => {
    const copy = copyOf();
    let calls = 0;
    const answers: ((n: number) => void)[] = [];
    const load = () => {
      calls += 1;
      return new Promise<number>(resolve => answers.push(resolve));
    };
    const early = copy.read('accounts', load);
    const fresh = copy.read('accounts', load, { fresh: true });
    expect(calls).toBe(2);
    answers[0](1);
    answers[1](2);
    expect(await early).toBe(1);
    expect(await fresh).toBe(2);
  });

  it("keeps the engine's own change over a read that was in the air when it was made, for the others", async () => {
    const copy = copyOf();
    let answer!: (tags: Record<string, string>) => void;
    const reading = copy.read(
      'tags:111',
      () =>
        new Promise<Record<string, string>>(resolve => {
          answer = resolve;
        }),
    );
    now += 10;
    copy.write('tags:111', { role: 'rc' });
    answer({});
    // The caller gets what AWS answered; the others the newer change.
    expect(await reading).toEqual({});
    expect(copy.peek('tags:111')).toEqual({ role: 'rc' });
  });

  it('changes only what it holds, and forgets on demand', async () => {
    const copy = copyOf();
    copy.update<string[]>('ous:r-1', ous => [...ous, 'dev']);
    expect(copy.peek('ous:r-1')).toBeUndefined();
    copy.write('ous:r-1', ['prod']);
    copy.update<string[]>('ous:r-1', ous => [...ous, 'dev']);
    expect(copy.peek('ous:r-1')).toEqual(['prod', 'dev']);
    copy.drop('ous:r-1');
    expect(copy.peek('ous:r-1')).toBeUndefined();
  });
});
