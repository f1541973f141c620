import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../core/notify/backoff.ts";
import type { DeliveryOutcome, NotificationSink, OutboxItem } from "../../core/ports.ts";
import { setup, useFakeTime } from "../support/dispatch-harness.ts";
import { outboxIntent as intent } from "../support/memory-outbox.ts";

useFakeTime();

/** People on "slow" (a paced platform: each call waits until released) and on "fast" (answers at once). */
class TwoPlatforms implements NotificationSink {
  readonly delivered: string[] = [];
  readonly waiting: (() => void)[] = [];

  groupOf(recipient: string): string {
    return recipient.startsWith("slow-") ? "slow" : "fast";
  }

  async deliver(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    if (this.groupOf(recipient) === "slow") await new Promise<void>((r) => this.waiting.push(r));
    this.delivered.push(...items.map((i) => i.key));
    return { ok: true };
  }
}

describe("OutboxDispatcher: delivery slots per way out", () => {
  it("a slow platform filling its slots does not hold up another platform's rows", async () => {
    const { outbox, make } = setup({ concurrency: 2 });
    const sink = new TwoPlatforms();
    // The slow platform's rows come first: with shared slots they would take both and the fast ones wait.
    outbox.add(
      intent("s1", "slow-a"),
      intent("s2", "slow-b"),
      intent("s3", "slow-c"),
      intent("f1", "fast-a"),
      intent("f2", "fast-b"),
      intent("f3", "fast-c"),
    );
    const run = make(outbox, sink).runOnce();
    for (let i = 0; i < 20 && sink.delivered.length < 3; i++) await Promise.resolve();
    expect(sink.delivered.sort()).toEqual(["f1", "f2", "f3"]);
    // Two slow calls at a time, never more.
    expect(sink.waiting).toHaveLength(2);
    while (sink.waiting.length > 0) {
      sink.waiting.shift()!();
      for (let i = 0; i < 20; i++) await Promise.resolve();
    }
    expect(await run).toEqual({ delivered: 6, retried: 0, held: 0 });
  });

  it("without groupOf every recipient shares the same slots (as before)", async () => {
    const { outbox, sink, dispatcher } = setup({ concurrency: 1 });
    outbox.add(intent("a1", "alice"), intent("b1", "bob"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 2, retried: 0, held: 0 });
    expect(sink.calls.map((c) => c.keys)).toEqual([["a1"], ["b1"]]);
  });
});

describe("rows an adapter holds back for its own pacing", () => {
  it("go again when it said, without the backoff failures earn", () => {
    const policy = { baseMs: 1000, maxMs: 600_000, random: () => 1 };
    expect(retryDelayMs(12, { retryAfterMs: 180, hold: true }, policy)).toBe(180);
    expect(retryDelayMs(12, { retryAfterMs: 180 }, policy)).toBe(600_000);
    expect(retryDelayMs(1, { retryAfterMs: 0.2, hold: true }, policy)).toBe(1);
  });
});
