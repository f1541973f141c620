import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BusinessCalendar, compileCalendar } from "../../core/sla/calendar.ts";
import { parseInterval, WEEKDAYS, type Weekday } from "../../core/sla/calendar-schema.ts";

const H = 3_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;
// Zones with DST (including a 30-minute one and one whose clocks change at midnight) and without.
const ZONES = [
  "Asia/Shanghai",
  "Europe/Berlin",
  "America/New_York",
  "America/Santiago",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "UTC",
];
const FROM = Date.parse("2026-01-01T00:00:00Z");
const TO = Date.parse("2027-12-31T00:00:00Z");

interface Config {
  timezone: string;
  hours: Record<Weekday, string[]>;
  holidays: string[];
  workdays: string[];
}

const hhmm = (minutes: number) =>
  minutes === 1440
    ? "24:00"
    : `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** 0-3 disjoint intervals on 15-minute marks (00:00-24:00 included). */
const dayHours = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 0, maxLength: 6 })
  .map((marks) => {
    const sorted = [...marks].sort((a, b) => a - b);
    const out: string[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2)
      out.push(`${hhmm(sorted[i]! * 15)}-${hhmm(sorted[i + 1]! * 15)}`);
    return out;
  });

const dateIn = fc
  .integer({ min: FROM / DAY, max: TO / DAY })
  .map((day) => new Date(day * DAY).toISOString().slice(0, 10));

const configArb: fc.Arbitrary<Config> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    hours: fc.record(
      Object.fromEntries(WEEKDAYS.map((d) => [d, dayHours])) as Record<Weekday, typeof dayHours>,
    ),
    holidays: fc.uniqueArray(dateIn, { maxLength: 40 }),
    workdays: fc.uniqueArray(dateIn, { maxLength: 15 }),
  })
  .map((c) => {
    const hours = { ...c.hours };
    if (WEEKDAYS.every((d) => hours[d].length === 0)) hours.wed = ["10:00-15:00"];
    const off = new Set(c.holidays);
    return { ...c, hours, workdays: c.workdays.filter((d) => !off.has(d)) };
  });

const instantArb = fc.integer({ min: FROM, max: TO });
const amountArb = fc.oneof(fc.integer({ min: 0, max: 4 * H }), fc.integer({ min: 0, max: 400 * H }));

/** Local date and minute of day of an instant, read with Intl independently of the code under test. */
function localReading(instant: number, timeZone: string): { date: string; weekday: Weekday; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: String(parts.weekday).toLowerCase() as Weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Working hours of a local date straight from the config: holidays none, make-up days a usual day's. */
function hoursOn(config: Config, date: string, weekday: Weekday): string[] {
  if (config.holidays.includes(date)) return [];
  if (config.workdays.includes(date)) return WEEKDAYS.map((d) => config.hours[d]).find((l) => l.length > 0)!;
  return config.hours[weekday];
}

/** Whether the minute starting at a minute-aligned instant is working time, by reading the wall clock. */
function oracleMinute(config: Config, instant: number): boolean {
  const { date, weekday, minute } = localReading(instant, config.timezone);
  return hoursOn(config, date, weekday).some((text) => {
    const { start, end } = parseInterval(text)!;
    return start <= minute && minute < end;
  });
}

/** Whether an instant's wall reading already happened earlier (the hour repeated when clocks go back). */
function isRepeat(instant: number, timeZone: string): boolean {
  const now = localReading(instant, timeZone);
  return [30, 60].some((k) => {
    const before = localReading(instant - k * MINUTE, timeZone);
    return before.date === now.date && before.minute === now.minute;
  });
}

const changesByZone = new Map<string, number[]>();

/** Instants (to the minute) in FROM..TO where the zone's UTC offset changes, found by reading Intl. */
function offsetChanges(timeZone: string): number[] {
  let found = changesByZone.get(timeZone);
  if (found) return found;
  const offset = (t: number) => {
    const { date, minute } = localReading(t, timeZone);
    return Date.parse(`${date}T00:00:00Z`) + minute * MINUTE - (t - (t % MINUTE));
  };
  found = [];
  for (let t = FROM; t < TO; t += 6 * H) {
    if (offset(t) === offset(t + 6 * H)) continue;
    let lo = t;
    let hi = t + 6 * H;
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  changesByZone.set(timeZone, found);
  return found;
}

const withCalendar = <T>(arb: fc.Arbitrary<T>) =>
  fc.tuple(configArb, arb).map(([config, rest]) => ({ config, cal: compileCalendar(config), rest }));

const check = (cal: BusinessCalendar, t: number) => cal.isWorkingTime(new Date(t));

describe("business calendar properties over random calendars and instants", () => {
  it("addBusinessTime then businessTimeBetween gives back the same amount", () => {
    fc.assert(
      fc.property(withCalendar(fc.tuple(instantArb, amountArb)), ({ cal, rest: [start, ms] }) => {
        const end = cal.addBusinessTime(new Date(start), ms);
        expect(end.getTime()).toBeGreaterThanOrEqual(start);
        expect(cal.businessTimeBetween(new Date(start), end)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });

  it("never puts a result outside working time", () => {
    fc.assert(
      fc.property(
        withCalendar(fc.tuple(instantArb, amountArb, fc.nat(30))),
        ({ cal, rest: [start, ms, days] }) => {
          const from = new Date(start);
          expect(check(cal, cal.addBusinessTime(from, ms).getTime())).toBe(true);
          const next = cal.nextWorkingInstant(from).getTime();
          expect(check(cal, next)).toBe(true);
          expect(next).toBeGreaterThanOrEqual(start);
          expect(cal.businessTimeBetween(from, new Date(next))).toBe(0);
          expect(check(cal, cal.addDuration(from, { days, ms }).getTime())).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never counts a holiday as working time, and counts a make-up day's hours", () => {
    fc.assert(
      fc.property(
        withCalendar(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 52 * H }))),
        ({ config, cal, rest: [pick, offset] }) => {
          if (config.holidays.length > 0) {
            const holiday = config.holidays[pick % config.holidays.length]!;
            const t = Date.parse(`${holiday}T00:00:00Z`) - 14 * H + offset;
            const reading = localReading(t, config.timezone);
            // At local midnight the previous day's "-24:00" interval may still end.
            if (reading.date === holiday && reading.minute > 0) expect(check(cal, t)).toBe(false);
          }
          if (config.workdays.length > 0) {
            const workday = config.workdays[pick % config.workdays.length]!;
            const t = Date.parse(`${workday}T00:00:00Z`) - 14 * H + offset;
            const reading = localReading(t, config.timezone);
            const inHours = hoursOn(config, workday, reading.weekday).some((text) => {
              const { start, end } = parseInterval(text)!;
              return start <= reading.minute && reading.minute < end;
            });
            if (reading.date === workday && inHours && !isRepeat(t, config.timezone)) {
              expect(check(cal, t)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is additive over a split point", () => {
    fc.assert(
      fc.property(withCalendar(fc.tuple(instantArb, instantArb, instantArb)), ({ cal, rest }) => {
        const [a, b, c] = [...rest].sort((x, y) => x - y).map((t) => new Date(t)) as [Date, Date, Date];
        expect(cal.businessTimeBetween(a, c)).toBe(
          cal.businessTimeBetween(a, b) + cal.businessTimeBetween(b, c),
        );
        expect(cal.businessTimeBetween(c, a)).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it("agrees with a minute-by-minute reading of the wall clock, DST changes included", () => {
    fc.assert(
      fc.property(
        withCalendar(fc.tuple(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 26 * 60 }))),
        ({ config, cal, rest: [nearChange, pick, minutes] }) => {
          // Half the windows end just after a change of the zone's offset, if it has any.
          const changes = offsetChanges(config.timezone);
          const start =
            nearChange && changes.length > 0
              ? changes[pick % changes.length]! - minutes * MINUTE + (pick % 120) * MINUTE
              : FROM + (pick % ((TO - FROM) / MINUTE)) * MINUTE;
          let total = 0;
          for (let i = 0; i < minutes; i++) {
            const t = start + i * MINUTE;
            const counted = cal.businessTimeBetween(new Date(t), new Date(t + MINUTE));
            total += counted;
            // A reading repeated when clocks go back follows the first occurrence's rule; leave it out.
            if (!isRepeat(t, config.timezone)) {
              expect([t, counted]).toEqual([t, oracleMinute(config, t) ? MINUTE : 0]);
            }
          }
          expect(cal.businessTimeBetween(new Date(start), new Date(start + minutes * MINUTE))).toBe(total);
        },
      ),
      // each run reads up to 26 h minute by minute; more runs with CLOSELOOP_PROPERTY_RUNS=<n>
      { numRuns: Number(process.env.CLOSELOOP_PROPERTY_RUNS ?? 20) },
    );
  }, 120_000);

  it("adds whole working days as whole days of business time when every working day is alike", () => {
    const alike = fc
      .record({
        timezone: fc.constantFrom(...ZONES),
        // Daytime hours only, so no DST change falls inside them.
        marks: fc.uniqueArray(fc.integer({ min: 24, max: 88 }), { minLength: 2, maxLength: 6 }),
        open: fc.subarray([...WEEKDAYS], { minLength: 1 }),
        holidays: fc.uniqueArray(dateIn, { maxLength: 40 }),
        workdays: fc.uniqueArray(dateIn, { maxLength: 15 }),
      })
      .map(({ timezone, marks, open, holidays, workdays }) => {
        const sorted = [...marks].sort((a, b) => a - b);
        const day: string[] = [];
        for (let i = 0; i + 1 < sorted.length; i += 2)
          day.push(`${hhmm(sorted[i]! * 15)}-${hhmm(sorted[i + 1]! * 15)}`);
        const hours = Object.fromEntries(WEEKDAYS.map((d) => [d, open.includes(d) ? day : []]));
        const off = new Set(holidays);
        const perDay = day.reduce(
          (sum, text) => sum + (parseInterval(text)!.end - parseInterval(text)!.start),
          0,
        );
        return {
          config: { timezone, hours, holidays, workdays: workdays.filter((d) => !off.has(d)) },
          perDay,
        };
      });
    fc.assert(
      fc.property(alike, instantArb, fc.integer({ min: 0, max: 40 }), ({ config, perDay }, start, days) => {
        const cal = compileCalendar(config);
        const end = cal.addDuration(new Date(start), { days, ms: 0 });
        const expected = days === 0 ? 0 : days * perDay * MINUTE;
        expect(cal.businessTimeBetween(new Date(start), end)).toBe(expected);
        expect(check(cal, end.getTime())).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
