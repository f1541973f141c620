import { describe, expect, it } from "vitest";
import type { OutboxDispatcherOptions } from "../../core/notify/dispatcher-options.ts";
import { advance, advanceTo, iso, setup, T0, useFakeTime } from "../support/dispatch-harness.ts";
import { outboxIntent as intent } from "../support/memory-outbox.ts";

const WINDOW = 120_000;
useFakeTime();
const setupDigest = (options: OutboxDispatcherOptions = {}) => setup({ digestWindowMs: WINDOW, ...options });

describe("digests", () => {
  it("sends the first alert at once and combines the next ones into one call when the window closes", async () => {
    const { outbox, sink, dispatcher } = setupDigest();
    outbox.add(intent("w1", "alice", "sla_warning"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 0 });

    await advance(30_000);
    outbox.add(intent("w2", "alice", "overdue_alert"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 1 });
    await advance(30_000);
    outbox.add(intent("w3", "alice", "escalation"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 2 });

    // Held, not failed: still due, untouched in the store.
    expect(outbox.get("w2")).toMatchObject({ attempts: 0, nextAttemptAt: iso(T0 + 30_000) });
    expect(outbox.get("w2")!.lastError).toBeUndefined();

    await advanceTo(T0 + WINDOW - 1);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 2 });
    await advance(1);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 2, retried: 0, held: 0 });
    expect(sink.calls.map((c) => c.keys)).toEqual([["w1"], ["w2", "w3"]]);
    expect(sink.calls[1]!.at).toBe(iso(T0 + WINDOW));
  });

  it("sends alerts further apart than the window separately, each at once", async () => {
    const { outbox, sink, dispatcher } = setupDigest();
    outbox.add(intent("w1", "alice", "sla_warning"));
    await dispatcher.runOnce();
    await advance(WINDOW);
    outbox.add(intent("w2", "alice", "sla_warning"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 0 });
    expect(sink.calls.map((c) => [c.keys, c.at])).toEqual([
      [["w1"], iso(T0)],
      [["w2"], iso(T0 + WINDOW)],
    ]);
  });

  it("keeps the window after a digest, so a steady stream gives one message per window", async () => {
    const { outbox, sink, dispatcher } = setupDigest();
    for (let i = 0; i < 10; i++) {
      outbox.add(intent(`w${i}`, "alice", "overdue_alert"));
      await dispatcher.runOnce();
      await advance(WINDOW / 4);
    }
    await advanceTo(T0 + 3 * WINDOW);
    await dispatcher.runOnce();
    expect(sink.calls.map((c) => c.keys)).toEqual([
      ["w0"],
      ["w1", "w2", "w3", "w4"],
      ["w5", "w6", "w7", "w8"],
      ["w9"],
    ]);
    expect(sink.calls.map((c) => c.at)).toEqual([0, 1, 2, 3].map((n) => iso(T0 + n * WINDOW)));
  });

  it("sends other kinds at once and alone while a window is open", async () => {
    const { outbox, sink, dispatcher } = setupDigest();
    outbox.add(intent("w1", "alice", "sla_warning"));
    await dispatcher.runOnce();
    await advance(1000);
    outbox.add(intent("w2", "alice", "sla_warning"), intent("n1", "alice", "nudge"));
    await advance(1000);
    outbox.add(intent("c1", "alice", "confirmation_request"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 2, retried: 0, held: 1 });
    expect(sink.calls.map((c) => c.keys)).toEqual([["w1"], ["n1"], ["c1"]]);
  });

  it("keeps windows per recipient", async () => {
    const { outbox, sink, dispatcher } = setupDigest();
    outbox.add(intent("a1", "alice", "sla_warning"));
    await dispatcher.runOnce();
    await advance(1000);
    outbox.add(intent("a2", "alice", "sla_warning"), intent("b1", "bob", "sla_warning"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 1 });
    expect(sink.calls.map((c) => c.keys)).toEqual([["a1"], ["b1"]]);
  });

  it("combines alerts that are due together, and retries a failed digest as one call", async () => {
    const { outbox, sink, dispatcher } = setupDigest();
    sink.failTimes(1, "alice");
    outbox.add(intent("w1", "alice", "sla_warning"), intent("w2", "alice", "escalation"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 2, held: 0 });
    expect(outbox.get("w1")!.nextAttemptAt).toBe(outbox.get("w2")!.nextAttemptAt);

    await advance(500);
    outbox.add(intent("w3", "alice", "remedy_alert"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 1 });
    await advance(500);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 3, retried: 0, held: 0 });
    expect(sink.calls.map((c) => c.keys)).toEqual([
      ["w1", "w2"],
      ["w1", "w2", "w3"],
    ]);
  });

  it("never lets a later alert overtake part of a failed digest that a short read left out", async () => {
    const { outbox, sink, dispatcher } = setupDigest({ batch: 2 });
    sink.failTimes(1, "alice");
    outbox.add(intent("w1", "alice", "sla_warning"), intent("w2", "alice", "sla_warning"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 2, held: 0 });
    await advance(10);
    outbox.add(intent("w3", "alice", "sla_warning"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 1 });
    await advance(490);
    outbox.add(intent("b1", "bob"));

    // Due again, the read (batch + held = 3 rows, earliest first) returns w3, b1 and w1 but not w2.
    await advance(500);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 2, retried: 0, held: 1 });
    await advance(WINDOW);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 2, retried: 0, held: 0 });
    expect(sink.calls.map((c) => c.keys)).toEqual([["w1", "w2"], ["w1"], ["b1"], ["w2", "w3"]]);
  });

  it("honours the configured digest kinds", async () => {
    const { outbox, sink, dispatcher } = setupDigest({ digestKinds: ["nudge"] });
    outbox.add(
      intent("n1", "alice", "nudge"),
      intent("n2", "alice", "nudge"),
      intent("w1", "alice", "sla_warning"),
    );
    await dispatcher.runOnce();
    expect(sink.calls.map((c) => c.keys)).toEqual([["n1", "n2"], ["w1"]]);
  });

  it("wakes the loop when a window closes instead of waiting for the next poll", async () => {
    const { outbox, sink, dispatcher } = setupDigest({ pollMs: 60_000 });
    dispatcher.start();
    outbox.add(intent("w1", "alice", "sla_warning"));
    await advance(10_000);
    outbox.add(intent("w2", "alice", "sla_warning"));
    await advanceTo(T0 + WINDOW);
    await dispatcher.stop();
    expect(sink.calls.map((c) => [c.keys, c.at])).toEqual([
      [["w1"], iso(T0)],
      [["w2"], iso(T0 + WINDOW)],
    ]);
  });
});
