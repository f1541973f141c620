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
