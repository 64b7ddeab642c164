/** One read of the organization as the copy keeps it: when it was read, and what it said. */
interface Entry {
  at: number;
  value: unknown;
}

/**
 * A copy of reads of one organization, keyed by what was read (`root`, `ous:<parent>`,
 * `accounts`, `parent:<account>`, `tags:<account>`, ...). A read younger than `maxAgeMs`
 * is answered from the copy; two callers asking for the same read at once share one
 * call. What the engine changes is written into the copy as it succeeds; what it
 * cannot know is dropped, and read again by the next caller.
 */
export class ObservedCopy {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The read from the copy, or from `load` when the copy has none young enough, none
   * read or written since `since` (a run sees AWS as it was at least when it started),
   * or `fresh` asks.
   */
  async read<T>(
    key: string,
    load: () => Promise<T>,
    options: { fresh?: boolean; since?: number } = {},
  ): Promise<T> {
    const known = this.peek<T>(key, options.since);
    if (!options.fresh && known !== undefined) return known;
    // A fresh read must not join a read sent before it was asked for.
    const pending = this.loading.get(key);
    if (pending && !options.fresh) return pending as Promise<T>;
    const started = this.now();
    const loaded = load().then(value => {
      // A change written while this read was in the air stays for the others; the
      // caller gets what AWS answered.
      const newer = this.entries.get(key);
      if (!newer || newer.at <= started)
        this.entries.set(key, { at: started, value });
      return value;
    });
    this.loading.set(key, loaded);
    try {
      return await loaded;
    } finally {
      if (this.loading.get(key) === loaded) this.loading.delete(key);
    }
  }

  /** What the copy holds for a read, if it is young enough and read or written since `since`. */
  peek<T>(key: string, since = -Infinity): T | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.at < since || this.now() - entry.at > this.maxAgeMs)
      return undefined;
    return entry.value as T;
  }

  /** Writes what the engine's own change made true. */
  write<T>(key: string, value: T): void {
    this.entries.set(key, { at: this.now(), value });
  }

  /** Changes a read the copy holds, if it holds it; a read it does not hold stays unknown. */
  update<T>(key: string, change: (value: T) => T): void {
    const entry = this.entries.get(key);
    if (entry)
      this.entries.set(key, {
        at: this.now(),
        value: change(entry.value as T),
      });
  }

  /** Forgets reads: the next caller reads them again. */
  drop(...keys: string[]): void {
    keys.forEach(key => this.entries.delete(key));
  }

  /** Forgets everything, as after a drift check read the organization afresh. */
  clear(): void {
    this.entries.clear();
  }
}
