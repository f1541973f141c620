/** Teams' per-bot, per-conversation send limits (shared/platforms/teams.md §6). */
export const SEND_LIMITS: readonly { readonly count: number; readonly windowMs: number }[] = [
  { count: 7, windowMs: 1000 },
  { count: 60, windowMs: 30_000 },
];

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Queues sends per conversation so a fan-out stays under every window. Measured on the process's monotonic
 * clock: this is pacing real network calls, not business time.
 */
export class ConversationLimiter {
  readonly #sent = new Map<string, number[]>();
  readonly #tails = new Map<string, Promise<void>>();
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #limits: typeof SEND_LIMITS;

  constructor(opts: { now?: () => number; sleep?: Sleep; limits?: typeof SEND_LIMITS } = {}) {
    this.#now = opts.now ?? (() => performance.now());
    this.#sleep = opts.sleep ?? realSleep;
    this.#limits = opts.limits ?? SEND_LIMITS;
  }

  /** Resolves when one more send to this conversation fits; sends are let through in call order. */
  acquire(conversation: string): Promise<void> {
    const prev = this.#tails.get(conversation) ?? Promise.resolve();
    const next = prev.then(() => this.#take(conversation));
    this.#tails.set(conversation, next);
    void next.finally(() => {
      if (this.#tails.get(conversation) === next) this.#tails.delete(conversation);
    });
    return next;
  }

  async #take(conversation: string): Promise<void> {
    const longest = Math.max(...this.#limits.map((l) => l.windowMs));
    for (;;) {
      const now = this.#now();
      const sent = (this.#sent.get(conversation) ?? []).filter((t) => now - t < longest);
      let wait = 0;
      for (const { count, windowMs } of this.#limits) {
        const inWindow = sent.filter((t) => now - t < windowMs);
        if (inWindow.length >= count)
          wait = Math.max(wait, inWindow[inWindow.length - count]! + windowMs - now);
      }
      if (wait <= 0) {
        sent.push(now);
        this.#sent.set(conversation, sent);
        if (this.#sent.size > 1000) this.#prune(now, longest);
        return;
      }
      await this.#sleep(wait + 5);
    }
  }

  /** Forgets conversations with no send inside the longest window. */
  #prune(now: number, longest: number): void {
    for (const [id, times] of this.#sent) if (!times.some((t) => now - t < longest)) this.#sent.delete(id);
  }
}
