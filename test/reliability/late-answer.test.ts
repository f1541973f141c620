/**
 * Issue 11, scenario 3, the hang in slow motion: a platform that takes longer than `deliveryTimeoutMs` to
 * answer a call but does it. The dispatcher counts the attempt as failed, yet must not hand the same rows to
 * the platform again while that call may still land: a platform with no idempotency key (Teams' connector,
 * DingTalk's session webhook, Feishu's buzz) would show them twice. On fake timers, so it is exact.
 */
import { describe, expect, it } from "vitest";
import type { DeliveryOutcome, NotificationSink, OutboxIntent, OutboxItem } from "../../core/ports.ts";
import { advance, iso, setup, T0, useFakeTime } from "../support/dispatch-harness.ts";

useFakeTime();

/** A platform with no idempotency key: every call it completes shows its rows, again if called again. */
class SlowPlatform implements NotificationSink {
  readonly shown: string[] = [];
  readonly calls: string[][] = [];
  /** How long each next call takes (ms), in order; then calls are quick. */
  readonly delays: number[] = [];

  async deliver(_recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    this.calls.push(items.map((i) => i.key));
    const ms = this.delays.shift() ?? 0;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    this.shown.push(...items.map((i) => i.key));
    return { ok: true };
  }
}

const intent = (key: string, recipient: string): OutboxIntent => ({
  key,
  kind: "assigned",
  recipient,
  ticket: "CS2025030001",
  payload: {},
});

describe("a platform that answers after the delivery timeout", () => {
  it("gets each row once: the timed-out call is waited for, then the lane moves on", async () => {
    const { outbox, make } = setup({ deliveryTimeoutMs: 1000, baseBackoffMs: 500, maxBackoffMs: 2000 });
    const platform = new SlowPlatform();
    const dispatcher = make(outbox, platform);
    platform.delays.push(6000);
    outbox.add(intent("a1", "alice"), intent("a2", "alice"), intent("b1", "bob"));

    // The first call for alice outlasts the timeout: a failed attempt, retried later; bob is not held up.
    const first = dispatcher.runOnce();
    await advance(1000);
    expect(await first).toEqual({ delivered: 1, retried: 1, held: 1 });
    expect(outbox.get("a1")).toMatchObject({ attempts: 1, lastError: "no answer within 1000 ms" });

    // Due again, but its call may still land: neither it nor the row behind it goes meanwhile.
    await advance(2000);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 2 });

    // The platform does it after all: a1 counts as delivered, and a2 follows, in order.
    await advance(3000);
    expect(outbox.get("a1")!.deliveredAt).toBe(iso(T0 + 6000));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 0 });
    expect(platform.shown).toEqual(["b1", "a1", "a2"]);
    expect(platform.calls.filter((keys) => keys.includes("a1"))).toHaveLength(1);
    expect(new Set(platform.shown).size).toBe(platform.shown.length);
  });

  it("sends again when the call never settles, after ten timeouts (nothing is lost to a dead socket)", async () => {
    const { outbox, make } = setup({ deliveryTimeoutMs: 1000, baseBackoffMs: 500, maxBackoffMs: 2000 });
    const platform = new SlowPlatform();
    const dispatcher = make(outbox, platform);
    platform.delays.push(3_600_000);
    outbox.add(intent("a1", "alice"));
    const first = dispatcher.runOnce();
    await advance(1000);
    await first;
    await advance(5000);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 1 });
    await advance(5000);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 0 });
    expect(platform.shown).toEqual(["a1"]);
  });
});
