/**
 * At most `perSecond` calls a second into one target (a chat, a message): Feishu refuses the sixth with
 * 230020. Returns how long to wait, 0 when the call may go now (and counts it).
 */
export class TargetLimiter {
  readonly #perSecond: number;
  readonly #times = new Map<string, number[]>();

  constructor(perSecond = 5) {
    this.#perSecond = perSecond;
  }

  take(target: string, now = Date.now()): number {
    const recent = (this.#times.get(target) ?? []).filter((t) => now - t < 1000);
    if (recent.length >= this.#perSecond) {
      this.#times.set(target, recent);
      return 1000 - (now - recent[0]!);
    }
    recent.push(now);
    this.#times.set(target, recent);
    if (this.#times.size > 10_000)
      for (const [k, v] of this.#times) if (now - (v.at(-1) ?? 0) > 1000) this.#times.delete(k);
    return 0;
  }
}

/**
 * At most `perSecond` calls a second across the whole app (Feishu sends: 50 a second per app), over a
 * sliding second. Callers wait their turn in call order instead of being refused with 99991400, which the
 * outbox would otherwise retry with a growing backoff.
 */
export class AppPacer {
  readonly #perSecond: number;
  readonly #times: number[] = [];
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #tail: Promise<void> = Promise.resolve();

  constructor(perSecond: number, opts: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {}) {
    this.#perSecond = perSecond;
    this.#now = opts.now ?? (() => performance.now());
    this.#sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves when one more call fits in the last second (and counts it). */
  acquire(): Promise<void> {
    const turn = this.#tail.then(() => this.#take());
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  async #take(): Promise<void> {
    for (;;) {
      const now = this.#now();
      while (this.#times.length > 0 && now - this.#times[0]! >= 1000) this.#times.shift();
      if (this.#times.length < this.#perSecond) {
        this.#times.push(now);
        return;
      }
      // a few ms beyond the window: the platform's clock and ours do not tick together
      await this.#sleep(this.#times[0]! + 1000 - now + 5);
    }
  }
}
