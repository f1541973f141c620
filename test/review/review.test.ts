import { describe, expect, it } from "vitest";
import { reviewCardOf } from "../../adapters/review-card.ts";
import type { OutboxItem } from "../../core/ports.ts";
import { reviewOfPayload } from "../../core/review/payload.ts";
import { computeWeeklyReview } from "../../core/review/review.ts";
import {
  isWeek,
  latestSlot,
  nextSlot,
  previousWeek,
  reviewedWeek,
  weekOf,
  weekRange,
} from "../../core/review/week.ts";
import { demoDirectory } from "../support/directory.ts";
import { SEEDED_WEEK, W47_REVIEWED_AT } from "./seeded-week.ts";

const SH = "Asia/Shanghai";
const H = 3_600_000;

describe("weeks and slots in the business calendar's time zone", () => {
  it("turns an ISO week into instants, and back", () => {
    const w = weekRange("2026-W47", SH);
    expect(w.start.toISOString()).toBe("2026-11-15T16:00:00.000Z");
    expect(w.end.toISOString()).toBe("2026-11-22T16:00:00.000Z");
    expect(weekOf(new Date("2026-11-22T15:59:59.999Z"), SH)).toBe("2026-W47");
    expect(weekOf(new Date("2026-11-22T16:00:00.000Z"), SH)).toBe("2026-W48");
    // 2026 has 53 weeks (it starts on a Thursday); 2025 has 52.
    expect(isWeek("2026-W53")).toBe(true);
    expect(isWeek("2025-W53")).toBe(false);
    expect(isWeek("2026-W00")).toBe(false);
    expect(previousWeek("2027-W01")).toBe("2026-W53");
    expect(() => weekRange("2026-47", SH)).toThrow(/ISO week/);
  });

  it("gives a week that spans a clock change its real length", () => {
    // New York falls back on Sunday 2026-11-01, the last day of 2026-W44.
    const w = weekRange("2026-W44", "America/New_York");
    expect(w.start.toISOString()).toBe("2026-10-26T04:00:00.000Z");
    expect(w.end.getTime() - w.start.getTime()).toBe(7 * 24 * H + H);
  });

  it("finds the latest and the next slot, and the week a slot reviews", () => {
    const slot = { day: "mon", at: "09:00" } as const;
    const monday10 = new Date("2026-11-23T02:00:00.000Z");
    expect(latestSlot(monday10, slot, SH).toISOString()).toBe("2026-11-23T01:00:00.000Z");
    expect(latestSlot(new Date("2026-11-23T00:59:00.000Z"), slot, SH).toISOString()).toBe(
      "2026-11-16T01:00:00.000Z",
    );
    expect(latestSlot(new Date("2026-11-23T01:00:00.000Z"), slot, SH).toISOString()).toBe(
      "2026-11-23T01:00:00.000Z",
    );
    expect(nextSlot(monday10, slot, SH).toISOString()).toBe("2026-11-30T01:00:00.000Z");
    expect(reviewedWeek(latestSlot(monday10, slot, SH), SH)).toBe("2026-W47");
    // Friday 17:30: still the last whole week.
    const friday = latestSlot(monday10, { day: "fri", at: "17:30" }, SH);
    expect(friday.toISOString()).toBe("2026-11-20T09:30:00.000Z");
    expect(reviewedWeek(friday, SH)).toBe("2026-W46");
  });
});

describe("the weekly review of a seeded week (figures worked out by hand)", () => {
  const review = computeWeeklyReview(SEEDED_WEEK, {
    department: "tech",
    range: weekRange("2026-W47", SH),
    now: new Date(W47_REVIEWED_AT),
    timeZone: SH,
    // Plain elapsed time, so the durations below are the hours in seeded-week.ts.
    businessMs: (_t, from, to) => to.getTime() - from.getTime(),
    lowScore: 3,
  });

  it("counts the week's tickets of the department by problem type", () => {
    expect(review.total).toBe(5);
    expect(review.byProblemType).toEqual([
      { problemType: "product_inquiry", count: 2 },
      { problemType: "quality_complaint", count: 2 },
      { problemType: "logistics", count: 1 },
    ]);
  });

  it("measures first response and resolution against each ticket's own deadline", () => {
    // Answered: A 0.5 h, B 3 h, C 1 h, E 0.25 h; D never. In time: A, C, E; late: B, and D (deadline past).
    expect(review.firstResponse).toEqual({
      met: 3,
      missed: 2,
      rate: 0.6,
      medianMs: 0.5 * H,
      p90Ms: 3 * H,
    });
    // Resolved: A 8 h (in time), B 28 h (late); C open past its deadline; D and E not due yet.
    expect(review.resolution).toEqual({
      met: 1,
      missed: 2,
      rate: 0.3333,
      resolved: 2,
      resolvedRate: 0.4,
      resolvedTarget: 0.9,
      medianMs: 8 * H,
      p90Ms: 28 * H,
    });
  });

  it("lists the breaches, masking any phone in their text", () => {
    expect(review.breaches.count).toBe(3);
    expect(review.breaches.tickets.map((t) => t.number)).toEqual([
      "CS2026110002",
      "CS2026110003",
      "CS2026110004",
    ]);
    const d = review.breaches.tickets[2]!.headline;
    expect(d).toContain("139****9000");
    expect(d).not.toContain("13900139000");
  });

  it("scores the surveys recorded in the week, whenever their ticket came in", () => {
    // A 5/5, B 2/3, G 4/3: resolution (5+2+4)/3, attitude (5+3+3)/3, points 22/6 x 20.
    expect(review.satisfaction).toEqual({
      surveys: 3,
      points: 73.3,
      target: 95,
      resolutionScore: 3.67,
      attitudeScore: 3.67,
    });
  });

  it("names the recurring problem with example tickets", () => {
    // X200: A, B, C; Z9 and the logistics ticket come once each, so they are not recurring.
    expect(review.topProblems).toEqual([
      {
        key: "X200",
        problemType: "quality_complaint",
        count: 3,
        examples: [
          { number: "CS2026110001", headline: "X200 故障" },
          { number: "CS2026110002", headline: "X200 故障" },
          { number: "CS2026110003", headline: "X200 故障" },
        ],
      },
    ]);
  });

  it("lists the low-score tickets and what was done", () => {
    expect(review.lowScores.count).toBe(1);
    expect(review.lowScores.tickets).toEqual([
      {
        number: "CS2026110002",
        headline: "X200 故障",
        at: "2026-11-19T02:00:00.000Z",
        resolutionScore: 2,
        attitudeScore: 3,
        suggestion: "希望第一次就修好，回电 138****8000",
        remedy: "done",
        note: "上门更换整机并赠送配件",
        solution: "更换主板",
      },
    ]);
  });
});

describe("the review as an outbox row carries it", () => {
  const review = computeWeeklyReview(SEEDED_WEEK, {
    department: "tech",
    range: weekRange("2026-W47", SH),
    now: new Date(W47_REVIEWED_AT),
    timeZone: SH,
    businessMs: (_t, from, to) => to.getTime() - from.getTime(),
    lowScore: 3,
  });
  const row = (payload: Record<string, unknown>): OutboxItem => ({
    key: "weekly_review:2026-W47:tech",
    kind: "weekly_review",
    recipient: "head-tech",
    ticket: "review:2026-W47:tech",
    payload,
    createdAt: W47_REVIEWED_AT,
    attempts: 0,
    nextAttemptAt: W47_REVIEWED_AT,
  });

  it("survives storage as JSON and builds the card; a damaged row is refused for good", () => {
    const stored = JSON.parse(JSON.stringify({ review }));
    expect(reviewOfPayload(stored)).toEqual(review);
    const ctx = { directory: demoDirectory(), locale: "en" as const, now: new Date(W47_REVIEWED_AT) };
    const built = reviewCardOf(row(stored), ctx, "https://closeloop.example.test/");
    expect("card" in built && built.card.kind).toBe("weekly-review");
    const button = "card" in built ? built.card.blocks.find((b) => b.kind === "actions") : undefined;
    expect(button).toMatchObject({
      buttons: [
        {
          does: {
            kind: "link",
            url: "https://closeloop.example.test/board/review?department=tech&week=2026-W47",
          },
        },
      ],
    });

    for (const damaged of [
      {},
      { review: { ...review, total: -1 } },
      { review: { ...review, week: "W47" } },
    ]) {
      expect(reviewOfPayload(damaged)).toBeUndefined();
      expect(reviewCardOf(row(damaged), ctx, undefined)).toEqual({
        error: "outbox row weekly_review:2026-W47:tech does not carry a weekly review",
      });
    }
  });
});
