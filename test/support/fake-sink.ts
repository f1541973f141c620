import type { Clock, DeliveryOutcome, NotificationSink, OutboxItem } from "../../core/ports.ts";

/** How one sink call ends. */
export type Behaviour =
  | { readonly type: "ok" }
  | { readonly type: "fail"; readonly error?: string }
  | { readonly type: "rateLimit"; readonly retryAfterMs: number }
  | { readonly type: "throw"; readonly message?: string }
  | { readonly type: "permanent"; readonly error?: string }
  | { readonly type: "hang" };

export interface SinkCall {
  readonly at: string;
  readonly recipient: string;
  readonly keys: readonly string[];
  readonly kinds: readonly string[];
  readonly behaviour: Behaviour["type"];
}

/**
 * A notification sink that fails on cue and then recovers. It records every call with its keys, and
 * models a platform that honours idempotency keys: a key it already accepted is not shown again.
 */
export class FakeSink implements NotificationSink {
  readonly calls: SinkCall[] = [];
  /** Keys the platform showed, each once, in the order shown. */
  readonly shown: string[] = [];
  readonly #clock: Clock;
  readonly #script: Behaviour[] = [];
  readonly #scriptFor = new Map<string, Behaviour[]>();
  readonly #down = new Set<string>();
  #allDown = false;
  readonly #permanent = new Map<string, string>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The next calls (only those for `recipient`, when given) end like this, in order; then calls succeed. */
  script(behaviours: readonly Behaviour[], recipient?: string): this {
    if (recipient === undefined) this.#script.push(...behaviours);
    else this.#scriptFor.set(recipient, [...(this.#scriptFor.get(recipient) ?? []), ...behaviours]);
    return this;
  }

  failTimes(n: number, recipient?: string, error = "503 service unavailable"): this {
    return this.script(
      Array.from({ length: n }, () => ({ type: "fail", error }) as const),
      recipient,
    );
  }

  /** An outage: every call (for `recipient`, or for everyone) fails until up(). */
  down(recipient?: string): this {
    if (recipient === undefined) this.#allDown = true;
    else this.#down.add(recipient);
    return this;
  }

  up(recipient?: string): this {
    if (recipient === undefined) {
      this.#allDown = false;
      this.#down.clear();
    } else this.#down.delete(recipient);
    return this;
  }

  /** Every call for `recipient` fails permanently (no platform reaches them) until reachable(). */
  unreachable(recipient: string, error = "unknown recipient"): this {
    this.#permanent.set(recipient, error);
    return this;
  }

  reachable(recipient: string): this {
    this.#permanent.delete(recipient);
    return this;
  }

  async deliver(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const behaviour = this.#next(recipient);
    this.calls.push({
      at: this.#clock.now().toISOString(),
      recipient,
      keys: items.map((i) => i.key),
      kinds: items.map((i) => i.kind),
      behaviour: behaviour.type,
    });
    switch (behaviour.type) {
      case "ok":
        for (const item of items) if (!this.shown.includes(item.key)) this.shown.push(item.key);
        return { ok: true };
      case "fail":
        return { ok: false, error: behaviour.error ?? "503 service unavailable" };
      case "rateLimit":
        return { ok: false, error: "429 too many requests", retryAfterMs: behaviour.retryAfterMs };
      case "permanent":
        return { ok: false, error: behaviour.error ?? "unknown recipient", permanent: true };
      case "throw":
        throw new Error(behaviour.message ?? "connection reset");
      case "hang":
        return new Promise<DeliveryOutcome>(() => {});
    }
  }

  /** Successful calls, in order. */
  successes(): SinkCall[] {
    return this.calls.filter((c) => c.behaviour === "ok");
  }

  /** How many successful calls carried `key`. */
  successesOf(key: string): number {
    return this.successes().filter((c) => c.keys.includes(key)).length;
  }

  #next(recipient: string): Behaviour {
    const permanent = this.#permanent.get(recipient);
    if (permanent !== undefined) return { type: "permanent", error: permanent };
    if (this.#allDown || this.#down.has(recipient)) return { type: "fail", error: "503 service unavailable" };
    const own = this.#scriptFor.get(recipient);
    if (own && own.length > 0) return own.shift()!;
    return this.#script.shift() ?? { type: "ok" };
  }
}
