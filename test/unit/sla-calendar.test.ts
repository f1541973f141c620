import { describe, expect, it } from "vitest";
import { compileCalendar } from "../../core/sla/calendar.ts";
import { parseDuration } from "../../core/sla/duration.ts";

const H = 3_600_000;
const M = 60_000;
/** An instant written in China Standard Time. */
const cst = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

describe("the default office calendar (Asia/Shanghai, 09:00-12:00 and 13:30-18:00, China's holidays)", () => {
  const cal = compileCalendar(undefined);

  it("is an office calendar in Asia/Shanghai", () => {
    expect(cal.mode).toBe("office");
    expect(cal.timezone).toBe("Asia/Shanghai");
  });

  describe("a lunch break", () => {
    it("is not working time", () => {
      expect(cal.isWorkingTime(cst("2026-03-03T12:30:00"))).toBe(false);
      expect(cal.isWorkingTime(cst("2026-03-03T11:59:00"))).toBe(true);
      expect(cal.isWorkingTime(cst("2026-03-03T13:31:00"))).toBe(true);
    });

    it("is skipped when adding business time", () => {
      expect(iso(cal.addBusinessTime(cst("2026-03-03T11:30:00"), H))).toBe(iso(cst("2026-03-03T14:00:00")));
      expect(iso(cal.addBusinessTime(cst("2026-03-03T12:45:00"), 10 * M))).toBe(
        iso(cst("2026-03-03T13:40:00")),
      );
    });

    it("is not counted between two instants", () => {
      expect(cal.businessTimeBetween(cst("2026-03-03T11:00:00"), cst("2026-03-03T14:00:00"))).toBe(1.5 * H);
      expect(cal.businessTimeBetween(cst("2026-03-03T12:10:00"), cst("2026-03-03T13:20:00"))).toBe(0);
    });

    it("leads to the afternoon's opening", () => {
      expect(iso(cal.nextWorkingInstant(cst("2026-03-03T12:01:00")))).toBe(iso(cst("2026-03-03T13:30:00")));
    });
  });

  describe("instants on an interval boundary", () => {
    it("counts both ends of an interval as working time, and nothing past them", () => {
      expect(cal.isWorkingTime(cst("2026-03-03T09:00:00"))).toBe(true);
      expect(cal.isWorkingTime(cst("2026-03-03T18:00:00"))).toBe(true);
      expect(cal.isWorkingTime(cst("2026-03-03T08:59:59.999"))).toBe(false);
      expect(cal.isWorkingTime(cst("2026-03-03T18:00:00.001"))).toBe(false);
    });

    it("lands a deadline on the end of an interval rather than on the next opening", () => {
      expect(iso(cal.addBusinessTime(cst("2026-03-03T17:00:00"), H))).toBe(iso(cst("2026-03-03T18:00:00")));
      expect(iso(cal.addBusinessTime(cst("2026-03-03T11:00:00"), H))).toBe(iso(cst("2026-03-03T12:00:00")));
      expect(iso(cal.addBusinessTime(cst("2026-03-03T18:00:00"), 0))).toBe(iso(cst("2026-03-03T18:00:00")));
    });

    it("moves on to the next opening once the end is passed", () => {
      expect(iso(cal.addBusinessTime(cst("2026-03-03T17:00:00"), H + 1))).toBe(
        iso(cst("2026-03-04T09:00:00.001")),
      );
      expect(iso(cal.nextWorkingInstant(cst("2026-03-03T18:00:00.001")))).toBe(
        iso(cst("2026-03-04T09:00:00")),
      );
      expect(iso(cal.nextWorkingInstant(cst("2026-03-03T09:00:00")))).toBe(iso(cst("2026-03-03T09:00:00")));
    });

    it("counts a whole working day as 7.5 hours", () => {
      expect(cal.businessTimeBetween(cst("2026-03-03T09:00:00"), cst("2026-03-03T18:00:00"))).toBe(7.5 * H);
      expect(cal.businessTimeBetween(cst("2026-03-03T00:00:00"), cst("2026-03-04T00:00:00"))).toBe(7.5 * H);
    });
  });

  describe("a make-up working Saturday (2026-02-28, for the Spring Festival)", () => {
    it("is working time with the hours of a usual working day", () => {
      expect(cal.isWorkingTime(cst("2026-02-28T10:00:00"))).toBe(true);
      expect(cal.isWorkingTime(cst("2026-02-28T12:30:00"))).toBe(false);
      expect(cal.businessTimeBetween(cst("2026-02-28T00:00:00"), cst("2026-03-01T00:00:00"))).toBe(7.5 * H);
    });

    it("receives deadlines that run past Friday", () => {
      expect(iso(cal.addBusinessTime(cst("2026-02-27T17:00:00"), 2 * H))).toBe(
        iso(cst("2026-02-28T10:00:00")),
      );
    });

    it("leaves an ordinary Saturday as rest", () => {
      expect(cal.isWorkingTime(cst("2026-03-07T10:00:00"))).toBe(false);
      expect(iso(cal.addBusinessTime(cst("2026-03-06T17:00:00"), 2 * H))).toBe(
        iso(cst("2026-03-09T10:00:00")),
      );
    });
  });

  describe("National Day 2026 (1-7 October off, Sunday 20 September and Saturday 10 October worked)", () => {
    it("has no working time in the holiday week", () => {
      expect(cal.businessTimeBetween(cst("2026-09-30T18:00:00"), cst("2026-10-08T09:00:00"))).toBe(0);
      for (const day of ["01", "02", "05", "06", "07"]) {
        expect(cal.isWorkingTime(cst(`2026-10-${day}T10:00:00`))).toBe(false);
      }
    });

    it("carries a deadline over the week", () => {
      expect(iso(cal.addBusinessTime(cst("2026-09-30T17:00:00"), 2 * H))).toBe(
        iso(cst("2026-10-08T10:00:00")),
      );
      expect(iso(cal.nextWorkingInstant(cst("2026-10-03T10:00:00")))).toBe(iso(cst("2026-10-08T09:00:00")));
    });

    it("counts the make-up Saturday and Sunday as working days", () => {
      expect(cal.isWorkingTime(cst("2026-10-10T10:00:00"))).toBe(true);
      expect(cal.isWorkingTime(cst("2026-09-20T10:00:00"))).toBe(true);
      expect(iso(cal.addDuration(cst("2026-09-30T10:00:00"), parseDuration("P3D")))).toBe(
        iso(cst("2026-10-10T10:00:00")),
      );
    });
  });

  describe("addDuration", () => {
    it("keeps the time of day across working days", () => {
      expect(iso(cal.addDuration(cst("2026-03-03T10:15:00"), parseDuration("P1D")))).toBe(
        iso(cst("2026-03-04T10:15:00")),
      );
      expect(iso(cal.addDuration(cst("2026-03-06T10:15:00"), parseDuration("P1D")))).toBe(
        iso(cst("2026-03-09T10:15:00")),
      );
    });

    it("adds the time part as business time after the days", () => {
      expect(iso(cal.addDuration(cst("2026-03-03T10:00:00"), parseDuration("P1DT2H30M")))).toBe(
        iso(cst("2026-03-04T14:00:00")),
      );
      expect(iso(cal.addDuration(cst("2026-03-03T11:00:00"), parseDuration("PT2H")))).toBe(
        iso(cst("2026-03-03T14:30:00")),
      );
    });

    it("counts from the last working instant when the start is outside working time", () => {
      // Saturday counts from Friday's close: one working day later is Monday's close.
      expect(iso(cal.addDuration(cst("2026-03-07T10:00:00"), parseDuration("P1D")))).toBe(
        iso(cst("2026-03-09T18:00:00")),
      );
      // Before the opening counts from the previous close: the whole of that day is the working day.
      expect(iso(cal.addDuration(cst("2026-03-03T07:00:00"), parseDuration("P1D")))).toBe(
        iso(cst("2026-03-03T18:00:00")),
      );
      // In the lunch break counts from the morning's close.
      expect(iso(cal.addDuration(cst("2026-03-03T12:30:00"), parseDuration("P2D")))).toBe(
        iso(cst("2026-03-05T12:00:00")),
      );
    });

    it("skips the Spring Festival and counts its make-up Saturdays", () => {
      // Fri 13 Feb -> Sat 14 Feb (make-up) -> 15-23 Feb off -> Tue 24 Feb.
      expect(iso(cal.addDuration(cst("2026-02-13T16:00:00"), parseDuration("P2D")))).toBe(
        iso(cst("2026-02-24T16:00:00")),
      );
    });
  });

  it("refuses bad arguments", () => {
    expect(() => cal.addBusinessTime(cst("2026-03-03T10:00:00"), -1)).toThrow(RangeError);
    expect(() => cal.addBusinessTime(cst("2026-03-03T10:00:00"), 0.5)).toThrow(RangeError);
    expect(() => cal.isWorkingTime(new Date(Number.NaN))).toThrow("expected a valid Date");
    expect(() => cal.addDuration(cst("2026-03-03T10:00:00"), { days: -1, ms: 0 })).toThrow(RangeError);
  });

  it("returns 0 between instants in the wrong order", () => {
    expect(cal.businessTimeBetween(cst("2026-03-04T10:00:00"), cst("2026-03-03T10:00:00"))).toBe(0);
  });
});

describe("a calendar in Europe/Berlin across DST changes", () => {
  const weekdays = ["09:00-17:00"];
  const berlin = compileCalendar({
    timezone: "Europe/Berlin",
    hours: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays },
    holidays: [],
    workdays: [],
  });

  it("follows the local clock when summer time starts (29 March 2026)", () => {
    // Friday 16:00 CET (UTC+1) + 2h -> Monday 10:00 CEST (UTC+2).
    const friday = new Date("2026-03-27T16:00:00+01:00");
    const monday = berlin.addBusinessTime(friday, 2 * H);
    expect(iso(monday)).toBe(iso(new Date("2026-03-30T10:00:00+02:00")));
    expect(berlin.businessTimeBetween(friday, monday)).toBe(2 * H);
    expect(berlin.isWorkingTime(new Date("2026-03-30T07:30:00Z"))).toBe(true); // 09:30 CEST
    expect(berlin.isWorkingTime(new Date("2026-03-27T07:30:00Z"))).toBe(false); // 08:30 CET
  });

  it("follows the local clock when summer time ends (25 October 2026)", () => {
    const friday = new Date("2026-10-23T16:00:00+02:00");
    expect(iso(berlin.addBusinessTime(friday, 2 * H))).toBe(iso(new Date("2026-10-26T10:00:00+01:00")));
    expect(iso(berlin.addDuration(friday, parseDuration("P1D")))).toBe(
      iso(new Date("2026-10-26T16:00:00+01:00")),
    );
  });

  it("counts real elapsed time for hours that span the change", () => {
    const nights = compileCalendar({
      timezone: "Europe/Berlin",
      hours: { sun: ["01:00-04:00"] },
      holidays: [],
      workdays: [],
    });
    // 02:00-03:00 does not exist on 29 March: 2 hours of work.
    expect(
      nights.businessTimeBetween(
        new Date("2026-03-29T00:00:00+01:00"),
        new Date("2026-03-29T12:00:00+02:00"),
      ),
    ).toBe(2 * H);
    // 02:00-03:00 happens twice on 25 October: 4 hours of work.
    expect(
      nights.businessTimeBetween(
        new Date("2026-10-25T00:00:00+02:00"),
        new Date("2026-10-25T12:00:00+01:00"),
      ),
    ).toBe(4 * H);
    expect(iso(nights.addBusinessTime(new Date("2026-03-29T01:30:00+01:00"), H))).toBe(
      iso(new Date("2026-03-29T03:30:00+02:00")),
    );
  });

  it("has no working time in an interval the clocks skip", () => {
    const skipped = compileCalendar({
      timezone: "Europe/Berlin",
      hours: { sun: ["02:00-03:00"], mon: ["09:00-10:00"] },
      holidays: [],
      workdays: [],
    });
    const saturday = new Date("2026-03-28T12:00:00+01:00");
    expect(iso(skipped.nextWorkingInstant(saturday))).toBe(iso(new Date("2026-03-30T09:00:00+02:00")));
  });
});

describe("a 24x7 calendar", () => {
  const cal = compileCalendar("24x7");
  const start = new Date("2026-10-01T23:00:00Z");

  it("is plain wall-clock arithmetic", () => {
    expect(cal.mode).toBe("24x7");
    expect(cal.timezone).toBeNull();
    expect(cal.isWorkingTime(start)).toBe(true);
    expect(iso(cal.nextWorkingInstant(start))).toBe(iso(start));
    expect(iso(cal.addBusinessTime(start, 2 * H))).toBe("2026-10-02T01:00:00.000Z");
    expect(cal.businessTimeBetween(start, new Date("2026-10-03T23:00:00Z"))).toBe(48 * H);
    expect(cal.businessTimeBetween(new Date("2026-10-03T23:00:00Z"), start)).toBe(0);
    expect(iso(cal.addDuration(start, parseDuration("P1DT2H30M")))).toBe("2026-10-03T01:30:00.000Z");
    expect(iso(cal.addDuration(start, parseDuration("PT5S")))).toBe("2026-10-01T23:00:05.000Z");
  });

  it("still refuses bad arguments", () => {
    expect(() => cal.addBusinessTime(start, -5)).toThrow(RangeError);
    expect(() => cal.isWorkingTime(new Date("nope"))).toThrow(RangeError);
  });
});
