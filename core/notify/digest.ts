/** The alert kinds combined into digests unless configured otherwise. */
export const DEFAULT_DIGEST_KINDS: readonly string[] = [
  "sla_warning",
  "overdue_alert",
  "escalation",
  "remedy_alert",
];

/**
 * When each person last received digest-kind alerts. Alerts due within the window after that wait and go
 * out together when it closes. Kept in memory only: after a restart the first alerts simply go out at once.
 */
export class DigestWindows {
  readonly #lastAt = new Map<string, number>();
  readonly #windowMs: number;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** The instant the recipient's window closes, or undefined when their alerts may go out now. */
  closesAt(recipient: string, now: number): number | undefined {
    const last = this.#lastAt.get(recipient);
    if (last === undefined) return undefined;
    const end = last + this.#windowMs;
    return now < end ? end : undefined;
  }

  delivered(recipient: string, at: number): void {
    this.#lastAt.set(recipient, at);
  }

  /** Forgets windows that have closed, so memory follows recent recipients only. */
  prune(now: number): void {
    for (const [recipient, last] of this.#lastAt)
      if (now >= last + this.#windowMs) this.#lastAt.delete(recipient);
  }
}
