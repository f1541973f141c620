import { afterAll, describe, expect, it } from "vitest";
import { PostgresTicketStore } from "../../adapters/storage/postgres/index.ts";
import { REVIEW_KIND, REVIEWS, WeeklyReviews } from "../../core/review/reviews.ts";
import { demoDirectory } from "../support/directory.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { postgresAvailable, type ThrowAwayDatabase, throwAwayDatabase } from "../support/postgres.ts";
import { SEEDED_WEEK, W47_REVIEWED_AT } from "./seeded-week.ts";

const available = await postgresAvailable("weekly reviews across PostgreSQL instances");

describe.skipIf(!available)("weekly review on PostgreSQL: three instances, one review per department", () => {
  let db: ThrowAwayDatabase | undefined;
  const stores: PostgresTicketStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    await db?.drop();
  });

  it("queues each department's review once however the instances race", async () => {
    db = await throwAwayDatabase("review");
    for (let i = 0; i < 3; i++) {
      const s = new PostgresTicketStore({ url: db.url, max: 4 });
      await s.open();
      stores.push(s);
    }
    for (const r of SEEDED_WEEK) await stores[0]!.create("202611", () => ({ events: r.events }));
    const clock = new ManualClock(W47_REVIEWED_AT);
    const instances = stores.map(
      (store) =>
        new WeeklyReviews({
          store,
          directory: demoDirectory(),
          clock,
          timeZone: "Asia/Shanghai",
          slot: { day: "mon", at: "09:00" },
          lowScore: 3,
          businessMs: (_t, from, to) => to.getTime() - from.getTime(),
        }),
    );
    const queued = await Promise.all(instances.flatMap((i) => [i.sendDue(), i.sendDue()]));
    expect(queued.reduce((a, b) => a + b, 0)).toBe(2);

    const rows = (await stores[1]!.dueOutbox("9999-01-01T00:00:00.000Z", 100)).filter(
      (r) => r.kind === REVIEW_KIND,
    );
    expect(rows.map((r) => `${r.recipient} ${r.key}`).sort()).toEqual([
      "head-returns weekly_review:2026-W47:returns",
      "head-tech weekly_review:2026-W47:tech",
    ]);
    const tech = rows.find((r) => r.recipient === "head-tech")!;
    expect(tech.payload.review).toMatchObject({ week: "2026-W47", total: 5, breaches: { count: 3 } });
    expect((await stores[2]!.getDoc(REVIEWS, "2026-W47.tech"))?.rev).toBe(1);
  });
});
