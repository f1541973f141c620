import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isDomainError } from "../../core/errors.ts";
import {
  calendarConfigSchema,
  formatConfigPath,
  parseCalendarConfig,
} from "../../core/sla/calendar-schema.ts";
import { CN_HOLIDAYS, CN_WORKDAYS } from "../../core/sla/holidays/cn.ts";

const OFFICE = ["09:00-12:00", "13:30-18:00"];

function issuesOf(input: unknown): string[] {
  try {
    parseCalendarConfig(input);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return (error.details.issues as { field: string; message: string }[]).map(
      (i) => `${i.field}: ${i.message}`,
    );
  }
  throw new Error("expected the config to be refused");
}

describe("sla.calendar defaults", () => {
  it("is the China office calendar when missing", () => {
    expect(parseCalendarConfig(undefined)).toEqual({
      timezone: "Asia/Shanghai",
      hours: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE, sat: [], sun: [] },
      holidays: [...CN_HOLIDAYS],
      workdays: [...CN_WORKDAYS],
    });
  });

  it("fills the keys left out of a partial object", () => {
    const parsed = parseCalendarConfig({ timezone: "Europe/Berlin", holidays: [] });
    expect(parsed).toMatchObject({ timezone: "Europe/Berlin", holidays: [], workdays: [...CN_WORKDAYS] });
    expect(parsed !== "24x7" && parsed.hours.mon).toEqual(OFFICE);
  });

  it("treats given hours as the whole week: a weekday left out has no hours", () => {
    const parsed = parseCalendarConfig({ hours: { sat: ["10:00-16:00"] } });
    expect(parsed !== "24x7" && parsed.hours).toEqual({
      mon: [],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: ["10:00-16:00"],
      sun: [],
    });
  });

  it("accepts 24x7", () => {
    expect(parseCalendarConfig("24x7")).toBe("24x7");
  });

  it("sorts intervals, de-duplicates dates and accepts an end of 24:00", () => {
    const parsed = parseCalendarConfig({
      hours: { mon: ["13:00-24:00", "00:00-08:00"] },
      holidays: ["2026-05-01", "2026-01-01", "2026-05-01"],
      workdays: [],
    });
    expect(parsed).toMatchObject({ hours: { mon: ["00:00-08:00", "13:00-24:00"] } });
    expect(parsed).toMatchObject({ holidays: ["2026-01-01", "2026-05-01"] });
  });

  it("works inside a larger config object", () => {
    const config = z.object({ sla: z.object({ calendar: calendarConfigSchema }) });
    expect(config.parse({ sla: {} }).sla.calendar).toMatchObject({ timezone: "Asia/Shanghai" });
    const result = config.safeParse({ sla: { calendar: { hours: { mon: ["9-12"] } } } });
    expect(result.error?.issues[0]?.path).toEqual(["sla", "calendar", "hours", "mon", 0]);
  });
});

describe("sla.calendar errors name the key and what is expected", () => {
  it("a malformed interval", () => {
    expect(issuesOf({ hours: { mon: ["09:00-12:00", "9-12"] } })).toEqual([
      'sla.calendar.hours.mon[1]: expected "HH:MM-HH:MM", got "9-12"',
    ]);
    expect(issuesOf({ hours: { tue: ["09:00-25:00"] } })).toEqual([
      'sla.calendar.hours.tue[0]: expected "HH:MM-HH:MM", got "09:00-25:00"',
    ]);
    expect(issuesOf({ hours: { wed: [930] } })).toEqual([
      'sla.calendar.hours.wed[0]: expected "HH:MM-HH:MM"',
    ]);
  });

  it("an interval that ends before it starts", () => {
    expect(issuesOf({ hours: { fri: ["18:00-09:00"] } })).toEqual([
      'sla.calendar.hours.fri[0]: expected the start before the end, got "18:00-09:00"',
    ]);
    expect(issuesOf({ hours: { fri: ["09:00-09:00"] } })[0]).toContain("expected the start before the end");
  });

  it("overlapping intervals", () => {
    expect(issuesOf({ hours: { mon: ["13:00-18:00", "09:00-13:30"] } })).toEqual([
      'sla.calendar.hours.mon[0]: expected intervals that do not overlap, "13:00-18:00" overlaps "09:00-13:30"',
    ]);
  });

  it("intervals that only touch are fine", () => {
    expect(() => parseCalendarConfig({ hours: { mon: ["09:00-12:00", "12:00-13:00"] } })).not.toThrow();
  });

  it("a week without working time", () => {
    expect(issuesOf({ hours: {} })).toEqual([
      'sla.calendar.hours: expected at least one working interval in the week (or the calendar "24x7")',
    ]);
  });

  it("a bad time zone, weekday or date", () => {
    expect(issuesOf({ timezone: "China/Beijing" })).toEqual([
      'sla.calendar.timezone: expected an IANA time zone such as "Asia/Shanghai", got "China/Beijing"',
    ]);
    expect(issuesOf({ hours: { monday: OFFICE } })).toContain(
      'sla.calendar.hours: unknown key "monday"; expected mon, tue, wed, thu, fri, sat, sun',
    );
    expect(issuesOf({ holiday: [] })).toEqual([
      'sla.calendar: unknown key "holiday"; expected timezone, hours, holidays, workdays',
    ]);
    expect(issuesOf({ hours: ["09:00-18:00"] })).toEqual([
      "sla.calendar.hours: expected an object with keys mon, tue, wed, thu, fri, sat, sun",
    ]);
    expect(issuesOf({ holidays: ["2026-02-30"] })).toEqual([
      'sla.calendar.holidays[0]: expected a date "YYYY-MM-DD", got "2026-02-30"',
    ]);
    expect(issuesOf({ workdays: "2026-02-28" })).toEqual([
      'sla.calendar.workdays: expected a list of dates "YYYY-MM-DD"',
    ]);
  });

  it("a date that is both a holiday and a make-up working day", () => {
    expect(issuesOf({ holidays: ["2026-10-01"], workdays: ["2026-09-20", "2026-10-01"] })).toEqual([
      'sla.calendar.workdays[1]: expected a date that is not also a holiday, "2026-10-01" is in both lists',
    ]);
  });

  it("neither 24x7 nor an object", () => {
    expect(issuesOf("24/7")).toEqual([
      'sla.calendar: expected "24x7" or an object with timezone, hours, holidays and workdays',
    ]);
  });

  it("formats paths with indices in brackets", () => {
    expect(formatConfigPath("sla.calendar", ["hours", "mon", 1])).toBe("sla.calendar.hours.mon[1]");
    expect(formatConfigPath("", ["holidays", 0])).toBe("holidays[0]");
  });
});
