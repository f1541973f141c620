import { describe, expect, it } from "vitest";
import { clientKey, RateLimiter } from "../../adapters/customer/rate-limit.ts";
import { ManualClock } from "../support/manual-clock.ts";

const MINUTE = 60_000;

const limiter = (clock: ManualClock, o: Partial<ConstructorParameters<typeof RateLimiter>[0]> = {}) =>
  new RateLimiter({ windowMs: 10 * MINUTE, requests: 5, failures: 2, ...o }, clock);

describe("the customer pages' rate limiter", () => {
  it("lets a client make its window's requests, then refuses until the window ends", () => {
    const clock = new ManualClock("2026-11-23T02:00:00Z");
    const rl = limiter(clock);
    for (let i = 0; i < 5; i++) expect(rl.request("203.0.113.1")).toEqual({ ok: true });
    clock.advance(4 * MINUTE);
    expect(rl.request("203.0.113.1")).toEqual({ ok: false, retryAfterMs: 6 * MINUTE });
    expect(rl.request("203.0.113.2")).toEqual({ ok: true });
    clock.advance(6 * MINUTE);
    expect(rl.request("203.0.113.1")).toEqual({ ok: true });
  });

  it("stops secret checks after the failures, whatever the next secret would be", () => {
    const clock = new ManualClock("2026-11-23T02:00:00Z");
    const rl = limiter(clock);
    expect(rl.mayCheck("203.0.113.1").ok).toBe(true);
    rl.failed("203.0.113.1");
    expect(rl.mayCheck("203.0.113.1").ok).toBe(true);
    rl.failed("203.0.113.1");
    expect(rl.mayCheck("203.0.113.1")).toEqual({ ok: false, retryAfterMs: 10 * MINUTE });
    expect(rl.mayCheck("203.0.113.9").ok).toBe(true);
    clock.advance(10 * MINUTE);
    expect(rl.mayCheck("203.0.113.1").ok).toBe(true);
  });

  it("counts an IPv6 /64 as one client, and an IPv4-mapped address as its IPv4", () => {
    expect(clientKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8::2")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("::ffff:203.0.113.5")).toBe("203.0.113.5");
    expect(clientKey("203.0.113.5")).toBe("203.0.113.5");
    expect(clientKey(undefined)).toBe("unknown");

    const rl = limiter(new ManualClock(0), { requests: 2 });
    rl.request("2001:db8:1:2::1");
    rl.request("2001:db8:1:2:aaaa::1");
    expect(rl.request("2001:db8:1:2:bbbb::1").ok).toBe(false);
    expect(rl.request("2001:db8:1:3::1").ok).toBe(true);
  });

  it("remembers a bounded number of clients, forgetting the oldest first", () => {
    const clock = new ManualClock(0);
    const rl = limiter(clock, { requests: 1, maxClients: 3 });
    for (const a of ["10.0.0.1", "10.0.0.2", "10.0.0.3"]) rl.request(a);
    expect(rl.request("10.0.0.3").ok).toBe(false);
    rl.request("10.0.0.4");
    expect(rl.size).toBe(3);
    // 10.0.0.1 was forgotten: it starts afresh; 10.0.0.3 is still counted.
    expect(rl.request("10.0.0.1").ok).toBe(true);
    expect(rl.request("10.0.0.3").ok).toBe(false);
  });
});
