import { describe, expect, it } from "vitest";
import type { TicketRecord } from "../../core/ports.ts";
import { SlaScheduler } from "../../core/sla/scheduler.ts";
import type { Timers } from "../../core/timers.ts";
import { ManualClock } from "../support/manual-clock.ts";

class FakeTimers implements Timers {
  pending: { fn: () => void; ms: number; id: number }[] = [];
  #id = 0;
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.#id;
    this.pending.push({ fn, ms, id });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }
  fire() {
    const all = this.pending.splice(0);
    for (const p of all) p.fn();
  }
}

const flush = () => new Promise((r) => setImmediate(r));

/** Tickets by next-due instant; firing a ticket clears it. */
function fakeStore(due: Map<string, number>) {
  const listeners: ((c: readonly TicketRecord[]) => void)[] = [];
  const record = (n: string, at?: number) =>
    ({
      state: { number: n, nextDueAt: at ? new Date(at).toISOString() : undefined },
    }) as unknown as TicketRecord;
  return {
    listeners,
    record,
    async dueTickets(now: string, limit: number) {
      return [...due.entries()]
        .filter(([, at]) => at <= Date.parse(now))
        .sort((a, b) => a[1] - b[1])
        .slice(0, limit)
        .map(([n, at]) => record(n, at));
    },
    async nextDueAt() {
      const min = Math.min(...due.values());
      return Number.isFinite(min) ? new Date(min).toISOString() : undefined;
    },
    onChange(l: (c: readonly TicketRecord[]) => void) {
      listeners.push(l);
      return () => undefined;
    },
  };
}

describe("SLA scheduler", () => {
  it("sleeps until the next due stage, fires only what is due, and re-arms", async () => {
    const clock = new ManualClock(0);
    const timers = new FakeTimers();
    const due = new Map([
      ["A", 5_000],
      ["B", 20_000],
    ]);
    const fired: string[] = [];
    const store = fakeStore(due);
    const s = new SlaScheduler({
      store,
      clock,
      timers,
      fire: async (n) => {
        fired.push(n);
        due.delete(n);
        return 1;
      },
    });
    s.start();
    await flush();
    expect(timers.pending.map((p) => p.ms)).toEqual([5_000]);

    clock.set(5_000);
    timers.fire();
    await flush();
    await flush();
    expect(fired).toEqual(["A"]);
    expect(timers.pending.map((p) => p.ms)).toEqual([15_000]);

    // A write that brings a stage closer re-arms the timer for it.
    due.set("C", 8_000);
    for (const l of store.listeners) l([store.record("C", 8_000)]);
    expect(timers.pending.map((p) => p.ms)).toEqual([3_000]);
    await s.stop();
    expect(timers.pending).toEqual([]);
  });

  it("wakes at least every maxSleepMs when nothing is due", async () => {
    const clock = new ManualClock(0);
    const timers = new FakeTimers();
    const s = new SlaScheduler({
      store: fakeStore(new Map()),
      clock,
      timers,
      fire: async () => 0,
      maxSleepMs: 60_000,
    });
    s.start();
    await flush();
    expect(timers.pending.map((p) => p.ms)).toEqual([60_000]);
    await s.stop();
  });

  it("keeps sweeping past a ticket whose firing fails", async () => {
    const clock = new ManualClock(10_000);
    const due = new Map([
      ["bad", 1_000],
      ["good", 2_000],
    ]);
    const errors: string[] = [];
    const s = new SlaScheduler({
      store: fakeStore(due),
      clock,
      timers: new FakeTimers(),
      fire: async (n) => {
        if (n === "bad") throw new Error("boom");
        due.delete(n);
        return 1;
      },
      onError: (_e, n) => errors.push(n ?? "?"),
    });
    expect(await s.sweep()).toBe(1);
    expect(errors).toEqual(["bad"]);
  });
});
