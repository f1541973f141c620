import { describe, expect, it } from "vitest";
import { OutboxDispatcher, type OutboxPort } from "../../core/notify/dispatcher.ts";
import { advance, clock, iso, setup, T0, useFakeTime } from "../support/dispatch-harness.ts";
import { FakeSink } from "../support/fake-sink.ts";
import { outboxIntent as intent, MemoryOutbox } from "../support/memory-outbox.ts";

useFakeTime();

describe("OutboxDispatcher.runOnce", () => {
  it("delivers each due row once, alone, and settles it", async () => {
    const { outbox, sink, dispatcher } = setup();
    outbox.add(
      intent("a1", "alice"),
      intent("b1", "bob", "assigned"),
      intent("a2", "alice", "confirmation_request"),
    );

    expect(await dispatcher.runOnce()).toEqual({ delivered: 3, retried: 0, held: 0 });
    expect(sink.calls.map((c) => c.keys)).toEqual([["a1"], ["b1"], ["a2"]]);
    for (const row of outbox.rows()) expect(row).toMatchObject({ deliveredAt: iso(T0), attempts: 1 });

    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 0 });
    expect(sink.calls).toHaveLength(3);
  });

  it("leaves rows with a later notBefore alone until then", async () => {
    const { outbox, sink, dispatcher } = setup();
    outbox.add(intent("later", "alice", "nudge", { notBefore: iso(T0 + 5000) }));
    await dispatcher.runOnce();
    await advance(4999);
    await dispatcher.runOnce();
    expect(sink.calls).toEqual([]);
    await advance(1);
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });
  });

  it("backs off exponentially, capped, keeping the last error, then delivers the same key once", async () => {
    const { outbox, sink, dispatcher } = setup({ baseBackoffMs: 1000, maxBackoffMs: 8000, random: () => 1 });
    sink.down("alice");
    outbox.add(intent("a1", "alice"));

    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 1, held: 0 });
      const row = outbox.get("a1")!;
      delays.push(Date.parse(row.nextAttemptAt) - Date.now());
      await advance(Date.parse(row.nextAttemptAt) - Date.now());
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(outbox.get("a1")).toMatchObject({ attempts: 6, lastError: "503 service unavailable" });

    sink.up();
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 0 });
    expect(sink.calls.every((c) => c.keys.join() === "a1")).toBe(true);
    expect(sink.successesOf("a1")).toBe(1);
  });

  it("spreads retries with jitter between the base and the doubling ceiling", async () => {
    const { outbox, sink, dispatcher } = setup({
      baseBackoffMs: 1000,
      maxBackoffMs: 600_000,
      random: () => 0.25,
    });
    sink.down();
    outbox.add(intent("a1", "alice"));
    await dispatcher.runOnce(); // attempt 1: ceiling 1000
    await advance(1000);
    await dispatcher.runOnce(); // attempt 2: 1000 + 0.25 * (2000 - 1000)
    expect(Date.parse(outbox.get("a1")!.nextAttemptAt) - Date.now()).toBe(1250);
  });

  it("honours Retry-After as a minimum", async () => {
    const { outbox, sink, dispatcher } = setup();
    sink.script([{ type: "rateLimit", retryAfterMs: 30_000 }], "alice");
    outbox.add(intent("a1", "alice"));

    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    expect(outbox.get("a1")).toMatchObject({
      nextAttemptAt: iso(T0 + 30_000),
      lastError: "429 too many requests",
    });
    await advance(29_999);
    await dispatcher.runOnce();
    expect(sink.calls).toHaveLength(1);
    await advance(1);
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });

    // A Retry-After shorter than the backoff does not shorten it.
    sink.script([{ type: "rateLimit", retryAfterMs: 10 }], "alice");
    outbox.add(intent("a2", "alice"));
    await dispatcher.runOnce();
    expect(outbox.get("a2")!.nextAttemptAt).toBe(iso(Date.now() + 1000));
  });

  it("retries a permanent failure at the cap rate with its reason, and never drops it", async () => {
    const { outbox, sink, dispatcher } = setup({ maxBackoffMs: 600_000 });
    sink.unreachable("ghost", "no platform reaches ghost");
    outbox.add(intent("g1", "ghost"), intent("b1", "bob"));

    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 1, held: 0 });
    expect(outbox.get("g1")).toMatchObject({
      attempts: 1,
      nextAttemptAt: iso(T0 + 600_000),
      lastError: "permanent: no platform reaches ghost",
    });
    await advance(600_000);
    await dispatcher.runOnce();
    expect(outbox.get("g1")).toMatchObject({ attempts: 2, nextAttemptAt: iso(T0 + 1_200_000) });

    sink.reachable("ghost");
    await advance(600_000);
    expect(await dispatcher.runOnce()).toMatchObject({ delivered: 1 });
    expect(outbox.get("g1")!.deliveredAt).toBe(iso(T0 + 1_200_000));
  });

  it("counts a sink that throws as a failed attempt", async () => {
    const { outbox, sink, dispatcher } = setup();
    sink.script([{ type: "throw", message: "socket hang up" }]);
    outbox.add(intent("a1", "alice"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 1, held: 0 });
    expect(outbox.get("a1")).toMatchObject({ attempts: 1, lastError: "socket hang up" });
  });

  it("does not let one recipient's failures delay another's", async () => {
    const { outbox, sink, dispatcher } = setup();
    sink.down("alice");
    outbox.add(intent("a1", "alice"), intent("b1", "bob"), intent("a2", "alice"), intent("c1", "carol"));
    await advance(10);
    outbox.add(intent("b2", "bob"), intent("a3", "alice"));

    expect(await dispatcher.runOnce()).toEqual({ delivered: 3, retried: 1, held: 2 });
    expect(sink.successes().flatMap((c) => c.keys)).toEqual(["b1", "c1", "b2"]);
    // Alice's later rows wait behind her failed one, untouched in the store.
    expect(sink.calls.filter((c) => c.recipient === "alice").map((c) => c.keys)).toEqual([["a1"]]);
    expect(outbox.get("a2")).toMatchObject({ attempts: 0, nextAttemptAt: iso(T0) });
    expect(outbox.get("a2")!.lastError).toBeUndefined();

    // While Alice backs off, Bob's new rows go out at once.
    outbox.add(intent("b3", "bob"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 2 });

    sink.up();
    await advance(1000);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 3, retried: 0, held: 0 });
    expect(sink.successes().flatMap((c) => c.keys)).toEqual(["b1", "c1", "b2", "b3", "a1", "a2", "a3"]);
  });

  it("does not let a hanging call hold other recipients; it times out and is retried", async () => {
    const { outbox, sink, dispatcher } = setup({ deliveryTimeoutMs: 5000 });
    sink.script([{ type: "hang" }], "alice");
    outbox.add(intent("a1", "alice"), intent("b1", "bob"));

    let result: unknown;
    const run = dispatcher.runOnce().then((r) => {
      result = r;
    });
    await advance(0);
    expect(outbox.get("b1")!.deliveredAt).toBe(iso(T0));
    expect(result).toBeUndefined();

    await advance(5000);
    await run;
    expect(result).toEqual({ delivered: 1, retried: 1, held: 0 });
    expect(outbox.get("a1")).toMatchObject({ attempts: 1, lastError: "no answer within 5000 ms" });
  });

  it("delivers a recipient's rows in creation order, holding later ones behind a failure", async () => {
    const { outbox, sink, dispatcher } = setup();
    outbox.add(intent("a3", "alice"));
    await advance(1);
    outbox.add(intent("a1", "alice"), intent("a2", "alice", "assigned"));
    sink.failTimes(1, "alice");

    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 1, held: 2 });
    expect(sink.calls.map((c) => c.keys)).toEqual([["a3"]]);
    await advance(1000);
    expect(await dispatcher.runOnce()).toEqual({ delivered: 3, retried: 0, held: 0 });
    expect(sink.successes().flatMap((c) => c.keys)).toEqual(["a3", "a1", "a2"]);
    expect(outbox.rows().map((r) => [r.key, r.attempts])).toEqual([
      ["a3", 2],
      ["a1", 1],
      ["a2", 1],
    ]);
  });

  it("keeps rows it holds from crowding newer rows out of the batch", async () => {
    const { outbox, sink, dispatcher } = setup({ batch: 2 });
    sink.down("alice");
    outbox.add(...[1, 2, 3, 4, 5].map((i) => intent(`a${i}`, "alice")));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 1, held: 1 });
    // Each run reads the batch on top of the rows it held last time, so the held rows soon all fit.
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 3 });
    expect(await dispatcher.runOnce()).toEqual({ delivered: 0, retried: 0, held: 4 });
    await advance(10);
    outbox.add(intent("b1", "bob"));
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 4 });
    expect(outbox.get("b1")!.deliveredAt).toBeDefined();
  });

  it("settles a delivered row next run without sending it again when its settle failed", async () => {
    const { outbox, sink, make } = setup();
    let failNext = true;
    const flaky: OutboxPort = {
      dueOutbox: (now, limit) => outbox.dueOutbox(now, limit),
      onChange: (l) => outbox.onChange(l),
      settleOutbox: async (key, outcome) => {
        if (failNext) {
          failNext = false;
          throw new Error("disk full");
        }
        return outbox.settleOutbox(key, outcome);
      },
    };
    const dispatcher = make(flaky);
    outbox.add(intent("a1", "alice"));

    await expect(dispatcher.runOnce()).rejects.toThrow(/1 settle\(s\) failed/);
    expect(outbox.get("a1")!.deliveredAt).toBeUndefined();
    expect(await dispatcher.runOnce()).toEqual({ delivered: 1, retried: 0, held: 0 });
    expect(outbox.get("a1")!.deliveredAt).toBe(iso(T0));
    expect(sink.calls).toHaveLength(1);
  });

  it("never runs two passes at once when called concurrently", async () => {
    const { outbox, sink, dispatcher } = setup();
    outbox.add(intent("a1", "alice"), intent("a2", "alice"));
    const results = await Promise.all([dispatcher.runOnce(), dispatcher.runOnce(), dispatcher.runOnce()]);
    expect(results.map((r) => r.delivered)).toEqual([2, 0, 0]);
    expect(sink.calls.map((c) => c.keys)).toEqual([["a1"], ["a2"]]);
  });

  it("rejects options that cannot work", () => {
    const store = new MemoryOutbox(clock);
    const sink = new FakeSink(clock);
    expect(() => new OutboxDispatcher({ store, sink, clock, options: { batch: 0 } })).toThrow(RangeError);
    expect(
      () => new OutboxDispatcher({ store, sink, clock, options: { maxBackoffMs: 10, baseBackoffMs: 100 } }),
    ).toThrow(RangeError);
  });
});
