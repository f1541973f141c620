import { describe, expect, it } from "vitest";
import type { TicketRecord } from "../../core/ports.ts";
import { computeStats, distribution } from "../../core/stats/stats.ts";
import { isoWeekOf } from "../../core/stats/week.ts";

const NOW = new Date("2026-11-20T10:00:00Z");
const H = 3_600_000;
const iso = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * H).toISOString();

function record(over: Record<string, unknown>, events: unknown[] = []): TicketRecord {
  const state = {
    number: "CS1",
    status: "pending",
    department: "tech",
    problemType: "quality_complaint",
    createdAt: iso(10),
    due: {},
    ...over,
  };
  return { state, events } as unknown as TicketRecord;
}

describe("stats", () => {
  it("counts types, response and resolution times, rates, breaches, satisfaction and recurring problems", () => {
    const records = [
      record({
        number: "A",
        firstResponseAt: iso(9.5),
        status: "resolved",
        resolvedAt: iso(5),
        product: "X200",
        due: { resolution: iso(1) },
      }),
      record({ number: "B", firstResponseAt: iso(7), product: "X200" }, [
        { type: "sla_stage", stage: "breach" },
      ]),
      record({
        number: "C",
        department: "billing",
        problemType: "billing",
        status: "resolved",
        firstResponseAt: iso(9.9),
        resolvedAt: iso(2),
        survey: { at: iso(1), resolutionScore: 5, attitudeScore: 4 },
      }),
      record({ number: "OLD", createdAt: iso(24 * 7 * 20) }),
    ];
    const stats = computeStats(records, {
      now: NOW,
      weeks: 4,
      timeZone: "Asia/Shanghai",
      businessMs: (_t, from, to) => to.getTime() - from.getTime(),
    });
    expect(stats.total).toBe(3);
    expect(stats.byProblemType).toEqual([
      { problemType: "quality_complaint", count: 2 },
      { problemType: "billing", count: 1 },
    ]);
    expect(stats.firstResponse.count).toBe(3);
    expect(stats.firstResponse.withinTarget).toBeCloseTo(2 / 3, 3);
    expect(stats.resolution.count).toBe(2);
    expect(stats.resolution.medianMs).toBe(5 * H);
    expect(stats.resolutionRate).toMatchObject({ resolved: 2, total: 3, rate: 0.6667, target: 0.9 });
    expect(stats.slaBreachByDepartment).toEqual([
      { department: "tech", total: 2, breached: 1, rate: 0.5 },
      { department: "billing", total: 1, breached: 0, rate: 0 },
    ]);
    expect(stats.satisfactionByWeek).toEqual([
      { week: "2026-W47", surveys: 1, resolutionScore: 5, attitudeScore: 4, points: 90 },
    ]);
    expect(stats.topProblems).toEqual([
      { key: "X200", problemType: "quality_complaint", count: 2, examples: ["A", "B"] },
    ]);
  });

  it("puts values in buckets, the last one open-ended", () => {
    const d = distribution([1, 5, 10, 50], [5, 10]);
    expect(d.buckets).toEqual([
      { upToMs: 5, count: 2 },
      { upToMs: 10, count: 1 },
      { upToMs: null, count: 1 },
    ]);
    expect(d).toMatchObject({ count: 4, medianMs: 5, p90Ms: 50 });
  });

  it("names ISO weeks on the local calendar", () => {
    expect(isoWeekOf(new Date("2026-01-01T12:00:00Z"), "Asia/Shanghai")).toBe("2026-W01");
    expect(isoWeekOf(new Date("2027-01-01T12:00:00Z"), "Asia/Shanghai")).toBe("2026-W53");
    // Sunday 20:00 UTC is already Monday in Shanghai.
    expect(isoWeekOf(new Date("2026-11-22T20:00:00Z"), "Asia/Shanghai")).toBe("2026-W48");
    expect(isoWeekOf(new Date("2026-11-22T20:00:00Z"), "UTC")).toBe("2026-W47");
  });
});
