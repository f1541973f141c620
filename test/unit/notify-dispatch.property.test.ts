import fc from "fast-check";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { backoffMs, retryDelayMs } from "../../core/notify/backoff.ts";
import { OutboxDispatcher } from "../../core/notify/dispatcher.ts";
import type { Clock, NotificationSink, OutboxItem } from "../../core/ports.ts";
import type { Timers } from "../../core/timers.ts";
import { type Behaviour, FakeSink } from "../support/fake-sink.ts";
import { MemoryOutbox, type OutboxConnection, outboxIntent } from "../support/memory-outbox.ts";
import { seededRandom } from "../support/random.ts";

const T0 = Date.parse("2025-03-03T01:00:00.000Z");
const STEP_MS = 25;
const MAX_STEPS = 4000;
const DIGEST_KINDS = ["sla_warning", "overdue_alert"];
const clock: Clock = { now: () => new Date() };
const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as never),
};

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  fc.constant({ type: "ok" } as const),
  fc.constant({ type: "fail" } as const),
  fc.integer({ min: 1, max: 400 }).map((retryAfterMs) => ({ type: "rateLimit", retryAfterMs }) as const),
  fc.constant({ type: "throw" } as const),
  fc.constant({ type: "permanent" } as const),
);

const scenario = fc.record({
  rows: fc.array(
    fc.record({
      recipient: fc.constantFrom("ann", "bo", "cy"),
      kind: fc.constantFrom("nudge", "assigned", ...DIGEST_KINDS),
      step: fc.nat(30),
    }),
    { minLength: 1, maxLength: 30 },
  ),
  script: fc.array(behaviour, { maxLength: 40 }),
  /** Sink calls answered for one recipient only, so failures cluster on a person like a real outage. */
  personal: fc.array(fc.tuple(fc.constantFrom("ann", "bo", "cy"), fc.array(behaviour, { maxLength: 10 })), {
    maxLength: 3,
  }),
  seed: fc.integer(),
  batch: fc.integer({ min: 1, max: 6 }),
  concurrency: fc.integer({ min: 1, max: 3 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const laneOf = (row: Pick<OutboxItem, "recipient" | "kind">) =>
  `${row.recipient}/${DIGEST_KINDS.includes(row.kind) ? "digest" : "direct"}`;

/**
 * Plays a scenario: rows arrive over time, the sink fails as scripted, and at each crash point the process
 * dies just before a settle (its store and sink calls never answer again) and a new dispatcher takes over.
 */
async function play(s: Scenario, crashAtSettles: readonly number[]) {
  vi.clearAllTimers();
  vi.setSystemTime(T0);
  const outbox = new MemoryOutbox(clock);
  const sink = new FakeSink(clock).script(s.script);
  for (const [recipient, behaviours] of s.personal) sink.script(behaviours, recipient);
  const random = seededRandom(s.seed);
  let settles = 0;
  const crashes = new Set(crashAtSettles);

  const boot = () => {
    const conn: OutboxConnection = outbox.connect();
    conn.killAtSettle(() => crashes.has(++settles));
    // A dead process makes no more platform calls.
    const via: NotificationSink = {
      deliver: (recipient, items) => (conn.dead ? new Promise(() => {}) : sink.deliver(recipient, items)),
    };
    const dispatcher = new OutboxDispatcher({
      store: conn,
      sink: via,
      clock,
      timers,
      options: {
        batch: s.batch,
        concurrency: s.concurrency,
        baseBackoffMs: 10,
        maxBackoffMs: 200,
        digestWindowMs: 100,
        digestKinds: DIGEST_KINDS,
        random,
      },
    });
    return { conn, dispatcher };
  };

  let current = boot();
  const lastStep = Math.max(...s.rows.map((r) => r.step));
  let step = 0;
  for (; step < MAX_STEPS; step++) {
    const arriving = s.rows.flatMap((r, i) => (r.step === step ? [{ ...r, i }] : []));
    outbox.add(...arriving.map((r) => outboxIntent(`k${String(r.i).padStart(3, "0")}`, r.recipient, r.kind)));
    const outcome = await Promise.race([
      current.dispatcher.runOnce().then(() => "ran" as const),
      current.conn.died.then(() => "died" as const),
    ]);
    if (outcome === "died") current = boot();
    if (step >= lastStep && outbox.undelivered().length === 0) break;
    await vi.advanceTimersByTimeAsync(STEP_MS);
  }
  return { outbox, sink, steps: step };
}

function checkOrderAndShape(outbox: MemoryOutbox, sink: FakeSink) {
  const rows = outbox.rows();
  const byKey = new Map(rows.map((r) => [r.key, r]));
  expect(outbox.undelivered()).toEqual([]);
  // The platform showed every row exactly once.
  expect([...sink.shown].sort()).toEqual(rows.map((r) => r.key).sort());

  for (const call of sink.calls) {
    const items = call.keys.map((k) => byKey.get(k)!);
    expect(items.every((r) => r.recipient === call.recipient)).toBe(true);
    expect(new Set(items.map(laneOf)).size).toBe(1);
    if (!DIGEST_KINDS.includes(items[0]!.kind)) expect(items).toHaveLength(1);
  }

  // Per recipient and lane, rows were first delivered in creation order (createdAt, then key).
  const firstDelivered: string[] = [];
  for (const call of sink.successes())
    for (const k of call.keys) if (!firstDelivered.includes(k)) firstDelivered.push(k);
  const created = [...rows].sort(
    (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.key < b.key ? -1 : 1),
  );
  for (const lane of new Set(rows.map(laneOf))) {
    expect(firstDelivered.filter((k) => laneOf(byKey.get(k)!) === lane)).toEqual(
      created.filter((r) => laneOf(r) === lane).map((r) => r.key),
    );
  }
}

it("delivers every row exactly once, in order per recipient, under any failure schedule (property)", async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      const { outbox, sink, steps } = await play(s, []);
      expect(steps).toBeLessThan(MAX_STEPS);
      for (const row of outbox.rows()) expect(sink.successesOf(row.key)).toBe(1);
      checkOrderAndShape(outbox, sink);
    }),
    { numRuns: 150 },
  );
});

it("loses nothing and shows nothing twice across crashes before a settle (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      scenario,
      fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 3 }),
      async (s, crashes) => {
        const { outbox, sink, steps } = await play(s, crashes);
        expect(steps).toBeLessThan(MAX_STEPS);
        // Redelivery after a crash carries the same key, so the platform shows it once.
        for (const row of outbox.rows()) expect(sink.successesOf(row.key)).toBeGreaterThanOrEqual(1);
        checkOrderAndShape(outbox, sink);
      },
    ),
    { numRuns: 150 },
  );
});

it("backoff stays between the base and the doubling ceiling, never above the cap (property)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 200 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      (attempt, r, baseMs, extra) => {
        const policy = { baseMs, maxMs: baseMs + extra, random: () => r };
        const d = backoffMs(attempt, policy);
        expect(d).toBeGreaterThanOrEqual(baseMs);
        expect(d).toBeLessThanOrEqual(Math.min(policy.maxMs, baseMs * 2 ** (attempt - 1)));
        expect(backoffMs(attempt + 1, policy)).toBeGreaterThanOrEqual(d);
        expect(retryDelayMs(attempt, { permanent: true }, policy)).toBe(policy.maxMs);
        expect(retryDelayMs(attempt, { retryAfterMs: policy.maxMs * 2 }, policy)).toBe(policy.maxMs * 2);
      },
    ),
  );
});
