import { describe, expect, it } from "vitest";
import { OutboxDispatcher, type OutboxPort } from "../../core/notify/dispatcher.ts";
import type { NotificationSink } from "../../core/ports.ts";
import { advance, clock, iso, setup, T0, timers, useFakeTime } from "../support/dispatch-harness.ts";
import type { FakeSink } from "../support/fake-sink.ts";
import { outboxIntent as intent } from "../support/memory-outbox.ts";

useFakeTime();

/** A sink that answers `ms` after each call, counting calls in flight. */
function slowSink(inner: FakeSink, ms: number) {
  const state = { inFlight: 0, maxInFlight: 0 };
  const sink: NotificationSink = {
    deliver: async (recipient, items) => {
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms));
      state.inFlight -= 1;
      return inner.deliver(recipient, items);
    },
  };
  return { sink, state };
}

describe("OutboxDispatcher loop", () => {
  it("delivers when the store changes and polls for rows that fall due", async () => {
    const { outbox, sink, make } = setup({ pollMs: 1000 });
    const dispatcher = make();
    dispatcher.start();
    await advance(100);
    outbox.add(intent("a1", "alice"));
    await advance(0);
    expect(sink.calls.map((c) => [c.keys, c.at])).toEqual([[["a1"], iso(T0 + 100)]]);

    outbox.add(intent("a2", "alice", "nudge", { notBefore: iso(T0 + 5000) }));
    await advance(4800);
    expect(sink.calls).toHaveLength(1);
    await advance(1000);
    expect(sink.calls[1]).toMatchObject({ keys: ["a2"] });
    expect(Date.parse(sink.calls[1]!.at)).toBeLessThanOrEqual(T0 + 6000);
    await dispatcher.stop();
  });

  it("retries at the retry time rather than at the next poll", async () => {
    const { outbox, sink, make } = setup({ pollMs: 60_000 });
    sink.failTimes(1);
    const dispatcher = make();
    dispatcher.start();
    outbox.add(intent("a1", "alice"));
    await advance(1000);
    await dispatcher.stop();
    expect(sink.calls.map((c) => [c.behaviour, c.at])).toEqual([
      ["fail", iso(T0)],
      ["ok", iso(T0 + 1000)],
    ]);
  });

  it("drains a backlog larger than one batch without waiting for polls", async () => {
    const { outbox, sink, make } = setup({ batch: 2, pollMs: 60_000 });
    outbox.add(...[1, 2, 3, 4, 5, 6, 7].map((i) => intent(`r${i}`, `p${i}`)));
    const dispatcher = make();
    dispatcher.start();
    await advance(0);
    await dispatcher.stop();
    expect(sink.successes()).toHaveLength(7);
    expect(new Set(sink.calls.map((c) => c.at))).toEqual(new Set([iso(T0)]));
  });

  it("loses nothing and sends nothing twice through an outage and the recovery", async () => {
    const { outbox, sink, make } = setup();
    const dispatcher = make();
    dispatcher.start();
    const people = ["ann", "bo", "cy", "dee"];
    const kinds = ["nudge", "sla_warning", "assigned", "overdue_alert", "escalation"];
    sink.down();
    for (let i = 0; i < 60; i++) {
      if (i === 40) sink.up();
      outbox.add(intent(`k${String(i).padStart(2, "0")}`, people[i % 4]!, kinds[i % 5]!));
      await advance(7_000);
    }
    await advance(30 * 60_000);
    await dispatcher.stop();

    expect(outbox.undelivered()).toEqual([]);
    expect(sink.calls.filter((c) => c.behaviour === "fail").length).toBeGreaterThan(0);
    for (const row of outbox.rows()) expect(sink.successesOf(row.key)).toBe(1);
    expect(sink.successes().some((c) => c.keys.length > 1)).toBe(true);
    // Per person and lane, first deliveries follow creation order.
    const digest = new Set(["sla_warning", "overdue_alert", "escalation"]);
    const lane = (key: string) => {
      const row = outbox.get(key)!;
      return `${row.recipient}/${digest.has(row.kind)}`;
    };
    const delivered = sink.successes().flatMap((c) => c.keys);
    for (const l of new Set(delivered.map(lane))) {
      const keys = delivered.filter((k) => lane(k) === l);
      expect(keys).toEqual([...keys].sort());
    }
  });

  it("never runs two passes at once, however often the store changes", async () => {
    const { outbox, sink, make } = setup();
    const slow = slowSink(sink, 500);
    const dispatcher = make(outbox, slow.sink);
    dispatcher.start();
    for (let i = 0; i < 10; i++) {
      outbox.add(intent(`a${i}`, "alice"));
      void dispatcher.runOnce();
      await advance(100);
    }
    await advance(10_000);
    await dispatcher.stop();
    // One recipient's rows go one after another within a run, so overlap could only come from two runs.
    expect(slow.state.maxInFlight).toBe(1);
    expect(sink.successes().flatMap((c) => c.keys)).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
  });

  it("stop waits for the run in flight, then stays stopped", async () => {
    const { outbox, sink, make } = setup();
    const slow = slowSink(sink, 500);
    const dispatcher = make(outbox, slow.sink);
    dispatcher.start();
    outbox.add(intent("a1", "alice"));
    await advance(0);
    expect(slow.state.inFlight).toBe(1);

    let stopped = false;
    const stopping = dispatcher.stop().then(() => {
      stopped = true;
    });
    await advance(100);
    expect(stopped).toBe(false);
    await advance(400);
    await stopping;
    expect(outbox.get("a1")!.deliveredAt).toBe(iso(T0 + 500));

    outbox.add(intent("a2", "alice"));
    await advance(10_000);
    expect(sink.calls.map((c) => c.keys)).toEqual([["a1"]]);
  });

  it("reports background errors and keeps going", async () => {
    const { outbox, sink } = setup();
    let failures = 1;
    const flaky: OutboxPort = {
      dueOutbox: async (now, limit) => {
        if (failures-- > 0) throw new Error("store unavailable");
        return outbox.dueOutbox(now, limit);
      },
      settleOutbox: (key, outcome) => outbox.settleOutbox(key, outcome),
      onChange: (l) => outbox.onChange(l),
    };
    const errors: unknown[] = [];
    const dispatcher = new OutboxDispatcher({
      store: flaky,
      sink,
      clock,
      timers,
      options: { pollMs: 1000, onError: (e) => errors.push(e) },
    });
    outbox.add(intent("a1", "alice"));
    dispatcher.start();
    await advance(1000);
    await dispatcher.stop();
    expect(errors).toEqual([new Error("store unavailable")]);
    expect(outbox.get("a1")!.deliveredAt).toBe(iso(T0 + 1000));
  });
});

describe("crash safety", () => {
  it("redelivers with the same key after a crash between delivering and settling", async () => {
    const { outbox, sink, make } = setup();
    outbox.add(intent("a1", "alice"), intent("a2", "alice"));
    const first = outbox.connect();
    first.killAtSettle((key, outcome) => key === "a1" && "deliveredAt" in outcome);
    void make(first).runOnce();
    await first.died;
    expect(sink.successes().map((c) => c.keys)).toEqual([["a1"]]);
    expect(outbox.get("a1")).toMatchObject({ attempts: 0 });
    expect(outbox.get("a1")!.deliveredAt).toBeUndefined();

    const second = make(outbox.connect());
    expect(await second.runOnce()).toEqual({ delivered: 2, retried: 0, held: 0 });
    expect(sink.successes().map((c) => c.keys)).toEqual([["a1"], ["a1"], ["a2"]]);
    expect(sink.shown).toEqual(["a1", "a2"]);
    expect(outbox.undelivered()).toEqual([]);
  });

  it("redelivers a digest with the same keys after a crash before its settle", async () => {
    const { outbox, sink, make } = setup({ digestWindowMs: 60_000 });
    outbox.add(intent("w1", "alice", "sla_warning"));
    const first = outbox.connect();
    const crashing = make(first);
    await crashing.runOnce();
    await advance(1000);
    outbox.add(intent("w2", "alice", "sla_warning"), intent("w3", "alice", "escalation"));
    await crashing.runOnce();
    await advance(59_000);
    first.killAtSettle((key) => key === "w3");
    void crashing.runOnce();
    await first.died;
    expect(outbox.get("w2")!.deliveredAt).toBeDefined();
    expect(outbox.get("w3")!.deliveredAt).toBeUndefined();

    await make(outbox.connect()).runOnce();
    expect(sink.successes().map((c) => c.keys)).toEqual([["w1"], ["w2", "w3"], ["w3"]]);
    expect(sink.shown).toEqual(["w1", "w2", "w3"]);
  });

  it("after a restart, rows still wait behind a row that failed before it", async () => {
    const { outbox, sink, make } = setup();
    sink.failTimes(1, "alice");
    outbox.add(intent("a1", "alice"));
    const before = make(outbox.connect());
    await before.runOnce();
    await advance(100);
    outbox.add(intent("a2", "alice"));
    expect(await before.runOnce()).toEqual({ delivered: 0, retried: 0, held: 1 });

    const after = make(outbox.connect());
    expect(await after.runOnce()).toEqual({ delivered: 0, retried: 0, held: 1 });
    await advance(900);
    expect(await after.runOnce()).toEqual({ delivered: 2, retried: 0, held: 0 });
    expect(sink.successes().flatMap((c) => c.keys)).toEqual(["a1", "a2"]);
  });
});
