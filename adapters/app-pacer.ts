/**
 * At most `perSecond` calls a second across the whole app (Feishu: 50 sends a second per app; Teams: 30
 * activity sends a second per app and tenant). Callers wait their turn in call order instead of being
 * refused with a 429, which the outbox would otherwise retry with a growing backoff.
 *
 * Calls are spaced evenly rather than let through in bursts: a burst that fills the second at its very end
 * reaches the platform a little out of order and a little late, and the platform counts some of it into the
 * next second. Spaced, with `share` of the limit used, jitter of a whole interval is needed to get a 429.
 */
export class AppPacer {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #next = Number.NEGATIVE_INFINITY;

  constructor(
    perSecond: number,
    opts: { now?: () => number; sleep?: (ms: number) => Promise<void>; share?: number } = {},
  ) {
    const share = opts.share ?? 0.98;
    if (!(perSecond > 0) || !(share > 0 && share <= 1))
      throw new RangeError("perSecond must be positive and share in (0, 1]");
    this.#intervalMs = 1000 / (perSecond * share);
    this.#now = opts.now ?? (() => performance.now());
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves at this caller's slot: one interval after the previous caller's, or now if that has passed. */
  acquire(): Promise<void> {
    const now = this.#now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.#intervalMs;
    return at > now ? this.#sleep(at - now) : Promise.resolve();
  }
}
