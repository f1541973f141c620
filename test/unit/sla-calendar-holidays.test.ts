import { describe, expect, it } from "vitest";
import {
  CN_HOLIDAY_YEARS,
  CN_HOLIDAYS,
  CN_WORKDAYS,
  cnFestivalOn,
  cnHolidayDataStatus,
} from "../../core/sla/holidays/cn.ts";

const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday .. 6 Saturday

describe("mainland China holiday data", () => {
  it("has the State Council's 2026 arrangement", () => {
    const off2026 = CN_HOLIDAYS.filter((d) => d.startsWith("2026-"));
    expect(off2026).toHaveLength(33);
    expect(CN_WORKDAYS.filter((d) => d.startsWith("2026-"))).toEqual([
      "2026-01-04",
      "2026-02-14",
      "2026-02-28",
      "2026-05-09",
      "2026-09-20",
      "2026-10-10",
    ]);
    expect(off2026).toEqual(expect.arrayContaining(["2026-02-15", "2026-02-23", "2026-10-01", "2026-10-07"]));
    expect(cnHolidayDataStatus(2026)).toBe("official");
  });

  it("has 2027's statutory days off, flagged as waiting for the notice", () => {
    expect(cnHolidayDataStatus(2027)).toBe("statutory");
    expect(CN_HOLIDAYS.filter((d) => d.startsWith("2027-"))).toEqual([
      "2027-01-01",
      "2027-02-05",
      "2027-02-06",
      "2027-02-07",
      "2027-02-08",
      "2027-04-05",
      "2027-05-01",
      "2027-05-02",
      "2027-06-09",
      "2027-09-15",
      "2027-10-01",
      "2027-10-02",
      "2027-10-03",
    ]);
    expect(cnHolidayDataStatus(2028)).toBe("missing");
  });

  it("keeps make-up working days on weekends and apart from the days off", () => {
    for (const date of CN_WORKDAYS) expect([0, 6]).toContain(weekday(date));
    const off = new Set(CN_HOLIDAYS);
    for (const date of CN_WORKDAYS) expect(off.has(date)).toBe(false);
  });

  it("has sorted, unique lists whose festivals stay within their year", () => {
    expect([...CN_HOLIDAYS].sort()).toEqual(CN_HOLIDAYS);
    expect(new Set(CN_HOLIDAYS).size).toBe(CN_HOLIDAYS.length);
    for (const year of CN_HOLIDAY_YEARS) {
      for (const festival of year.festivals) {
        expect(festival.off[0] <= festival.off[1]).toBe(true);
        expect(festival.off[0].slice(0, 4)).toBe(String(year.year));
      }
    }
  });

  it("names the festival of a date in both locales", () => {
    expect(cnFestivalOn("2026-10-03")).toEqual({
      festival: expect.objectContaining({ name: { "zh-CN": "国庆节", en: "National Day" } }),
      kind: "off",
    });
    expect(cnFestivalOn("2026-02-28")?.kind).toBe("work");
    expect(cnFestivalOn("2026-02-28")?.festival.name["zh-CN"]).toBe("春节");
    expect(cnFestivalOn("2026-03-03")).toBeUndefined();
  });
});
