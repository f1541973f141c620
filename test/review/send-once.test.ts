import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import { configSchema } from "../../core/config/schema.ts";
import { REVIEW_KIND, REVIEWS, WeeklyReviews } from "../../core/review/reviews.ts";
import { WeeklyReviewScheduler } from "../../core/review/scheduler.ts";
import { buildCloseloop, type Closeloop } from "../../main.ts";
import { FakeSink } from "../support/fake-sink.ts";
import { ManualClock } from "../support/manual-clock.ts";

const WEDNESDAY_W47 = "2026-11-18T02:00:00.000Z";
const MONDAY_W48_10 = "2026-11-23T02:00:00.000Z";
const MONDAY_W49_10 = "2026-11-30T02:00:00.000Z";

const dirs: string[] = [];
const open: Closeloop[] = [];
afterEach(async () => {
  for (const cl of open.splice(0)) await cl.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function boot(clock: ManualClock, sink: FakeSink, dir: string) {
  const cl = await buildCloseloop({
    config: configSchema.parse({}),
    env: readEnvironment({ CLOSELOOP_DATA_DIR: dir }),
    logger: createLogger({ destination: { write: () => undefined } }),
    clock,
    sink,
  });
  open.push(cl);
  return cl;
}

/** A second instance's view of the same store: its own WeeklyReviews, racing the first. */
const otherInstance = (cl: Closeloop, clock: ManualClock) =>
  new WeeklyReviews({
    store: cl.store,
    directory: cl.directory,
    clock,
    timeZone: "Asia/Shanghai",
    slot: { day: "mon", at: "09:00" },
    lowScore: 3,
    businessMs: (_t, from, to) => to.getTime() - from.getTime(),
  });

const reviewsShown = (sink: FakeSink) =>
  sink
    .successes()
    .flatMap((c) => c.keys.filter((k) => k.startsWith(`${REVIEW_KIND}:`)).map((k) => `${c.recipient} ${k}`));

describe("weekly review: sent once per department head per week", () => {
  it("survives running twice, a racing instance and a restart, and goes out again only for the next week", async () => {
    const dir = mkdtempSync(join(tmpdir(), "closeloop-review-"));
    dirs.push(dir);
    const clock = new ManualClock(WEDNESDAY_W47);
    const sink = new FakeSink(clock);
    let cl = await boot(clock, sink, dir);
    const agent = { actor: "agent-li", via: "api" } as const;
    await cl.service.create(agent, { description: "X200 无法开机", department: "tech" });
    await cl.service.create(agent, { description: "X200 屏幕不亮", department: "tech" });
    await cl.service.create(agent, { description: "申请退货", department: "returns" });
    await cl.dispatcher.runOnce();
    const before = sink.successes().length;

    clock.set(MONDAY_W48_10);
    const other = otherInstance(cl, clock);
    const queued = await Promise.all([
      cl.reviewScheduler.runOnce(),
      cl.reviewScheduler.runOnce(),
      cl.reviews.sendDue(),
      other.sendDue(),
    ]);
    expect(queued.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await cl.reviewScheduler.runOnce()).toBe(0);
    await cl.dispatcher.runOnce();

    // Restart on the same data: nothing is owed any more.
    await cl.close();
    open.pop();
    cl = await boot(clock, sink, dir);
    expect(await cl.reviewScheduler.runOnce()).toBe(0);
    await cl.dispatcher.runOnce();

    // (Racing instances decide departments in any order.)
    expect(reviewsShown(sink).sort()).toEqual([
      "head-returns weekly_review:2026-W47:returns",
      "head-tech weekly_review:2026-W47:tech",
    ]);
    expect(sink.successes().length - before).toBe(2);
    const tech = await cl.store.getDoc(REVIEWS, "2026-W47.tech");
    expect(tech?.data).toMatchObject({ sent: true, head: "head-tech", review: { total: 2 } });
    // Quiet departments are decided too (so never computed again), but nothing is sent to their heads.
    expect((await cl.store.getDoc(REVIEWS, "2026-W47.billing"))?.data).toMatchObject({ sent: false });

    // The next Monday reviews the next week: only the department that had work then hears again.
    clock.set("2026-11-25T02:00:00.000Z");
    await cl.service.create(agent, { description: "X200 又坏了", department: "tech" });
    clock.set(MONDAY_W49_10);
    expect(await cl.reviewScheduler.runOnce()).toBe(1);
    await cl.dispatcher.runOnce();
    expect(reviewsShown(sink).slice(2)).toEqual(["head-tech weekly_review:2026-W48:tech"]);
  });
});

describe("weekly review scheduler", () => {
  it("runs at start (catching up) and wakes at the next slot", async () => {
    const clock = new ManualClock(MONDAY_W48_10);
    const timers: { fn: () => void; ms: number }[] = [];
    let cleared = 0;
    let calls = 0;
    const s = new WeeklyReviewScheduler({
      sendDue: async () => {
        calls += 1;
        return 0;
      },
      slot: { day: "mon", at: "09:00" },
      timeZone: "Asia/Shanghai",
      clock,
      maxSleepMs: 30 * 86_400_000,
      timers: {
        setTimeout: (fn, ms) => timers.push({ fn, ms }) - 1,
        clearTimeout: () => {
          cleared += 1;
        },
      },
    });
    s.start();
    await expect.poll(() => timers.length).toBe(1);
    expect(calls).toBe(1);
    // Next Monday 09:00 is 7 days less an hour away.
    expect(timers[0]!.ms).toBe(7 * 86_400_000 - 3_600_000);
    clock.set("2026-11-30T01:00:00.000Z");
    timers[0]!.fn();
    await expect.poll(() => timers.length).toBe(2);
    expect(calls).toBe(2);
    expect(timers[1]!.ms).toBe(7 * 86_400_000);
    await s.stop();
    expect(cleared).toBe(1);
  });
});
