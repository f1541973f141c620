import { isIPv6 } from "node:net";
import type { Clock } from "../../core/ports.ts";

export interface RateLimitOptions {
  readonly windowMs: number;
  /** Requests per client per window. */
  readonly requests: number;
  /** Failed secret checks per client per window. */
  readonly failures: number;
  /** Clients remembered at once; the oldest are forgotten first beyond this. */
  readonly maxClients?: number;
}

interface Counter {
  windowStart: number;
  requests: number;
  failures: number;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/**
 * Per-client fixed windows, in memory (each instance counts its own). A client is an IPv4 address or an
 * IPv6 /64, since one host holds a whole /64. Two budgets: every request, and wrong secrets; once wrong
 * secrets run out, every secret check waits out the window, right or wrong, so guessing cannot go on.
 */
export class RateLimiter {
  readonly #o: Required<RateLimitOptions>;
  readonly #clock: Clock;
  readonly #clients = new Map<string, Counter>();

  constructor(options: RateLimitOptions, clock: Clock) {
    this.#o = { maxClients: 50_000, ...options };
    this.#clock = clock;
  }

  #counter(address: string | undefined): Counter {
    const key = clientKey(address);
    const now = this.#clock.now().getTime();
    let c = this.#clients.get(key);
    if (c && now - c.windowStart >= this.#o.windowMs) {
      this.#clients.delete(key);
      c = undefined;
    }
    if (!c) {
      c = { windowStart: now, requests: 0, failures: 0 };
      if (this.#clients.size >= this.#o.maxClients) this.#evict(now);
      this.#clients.set(key, c);
    }
    return c;
  }

  #evict(now: number): void {
    for (const [key, c] of this.#clients)
      if (now - c.windowStart >= this.#o.windowMs) this.#clients.delete(key);
    // Still full: forget the oldest windows (insertion order).
    for (const key of this.#clients.keys()) {
      if (this.#clients.size < this.#o.maxClients) break;
      this.#clients.delete(key);
    }
  }

  #refuse(c: Counter): Verdict {
    return {
      ok: false,
      retryAfterMs: Math.max(1000, c.windowStart + this.#o.windowMs - this.#clock.now().getTime()),
    };
  }

  /** Counts a request; refused once the client used its window's requests. */
  request(address: string | undefined): Verdict {
    const c = this.#counter(address);
    c.requests += 1;
    return c.requests > this.#o.requests ? this.#refuse(c) : { ok: true };
  }

  /** Whether the client may have a secret checked now. */
  mayCheck(address: string | undefined): Verdict {
    const c = this.#counter(address);
    return c.failures >= this.#o.failures ? this.#refuse(c) : { ok: true };
  }

  /** Counts a wrong, unknown or revoked secret. */
  failed(address: string | undefined): void {
    this.#counter(address).failures += 1;
  }

  get size(): number {
    return this.#clients.size;
  }
}

/** The unit one client is counted as: an IPv4 address, or the /64 of an IPv6 one. */
export function clientKey(address: string | undefined): string {
  if (!address) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
