/**
 * How long account creations take in each payer organization, learned from the ones this
 * backend saw finish, so that a wait asks AWS about when a creation should be done
 * instead of polling it from the start.
 */
export class CreationTimes {
  private readonly averages = new Map<string, number>();

  /** Records a finished creation's duration (from AWS's own timestamps, so clocks do not matter). */
  record(payer: string, durationMs: number): void {
    if (!(durationMs >= 0)) return;
    const previous = this.averages.get(payer);
    // A moving average: recent creations weigh more, as AWS's pace changes.
    this.averages.set(
      payer,
      previous === undefined ? durationMs : previous * 0.7 + durationMs * 0.3,
    );
  }

  /** The expected duration of a creation in the payer, once one was seen. */
  expected(payer: string): number | undefined {
    return this.averages.get(payer);
  }
}
