/** How many answers are kept: the estate and a few filters of the findings. */
const KEPT = 16;

/**
 * The last answer of each large read with its ETag. Read again, the backend is asked
 * with If-None-Match: unchanged, it sends a bodiless 304 and the caller gets the same
 * object back, so that nothing is sent, parsed or drawn again (the estate of thousands
 * of accounts is megabytes). The ETag is the backend's, of the body it would send this
 * caller, so an answer is never handed to a caller who would have been sent another.
 * Callers treat what they get as read-only: it may be handed out again.
 */
export class KeptAnswers {
  private readonly kept = new Map<string, { etag: string; value: unknown }>();

  async read<R extends Pick<Response, 'status' | 'headers'>, T>(
    key: string,
    send: (ifNoneMatch: string | undefined) => Promise<R>,
    parse: (response: R) => Promise<T>,
  ): Promise<T> {
    const held = this.kept.get(key);
    const response = await send(held?.etag);
    if (held && response.status === 304) return held.value as T;
    const value = await parse(response);
    const etag = response.headers.get('ETag');
    this.kept.delete(key);
    if (etag) {
      this.kept.set(key, { etag, value });
      // The oldest read goes first.
      if (this.kept.size > KEPT) {
        this.kept.delete(this.kept.keys().next().value!);
      }
    }
    return value;
  }
}
