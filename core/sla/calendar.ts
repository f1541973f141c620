import {
  type CalendarConfig,
  type CalendarConfigInput,
  type MinuteInterval,
  type OfficeCalendarConfig,
  parseCalendarConfig,
  parseInterval,
  WEEKDAYS,
} from "./calendar-schema.ts";
import { DAY, type Zone, zoneOf } from "./calendar-zone.ts";
import type { Duration } from "./duration.ts";

/**
 * Business-time arithmetic on a compiled `sla.calendar`.
 *
 * Working intervals are closed: the end of an interval (18:00) is still working time, so a deadline may land
 * exactly on it but never outside working time. On a "24x7" calendar everything is plain elapsed time.
 */
export interface BusinessCalendar {
  readonly mode: "office" | "24x7";
  /** The IANA zone of the working hours; null for 24x7. */
  readonly timezone: string | null;
  isWorkingTime(instant: Date): boolean;
  /** The earliest working instant at or after `instant`. */
  nextWorkingInstant(instant: Date): Date;
  /** The instant at which `ms` of business time will have passed since `start`. */
  addBusinessTime(start: Date, ms: number): Date;
  /** Business time from `a` to `b` in ms; 0 when `b <= a`. */
  businessTimeBetween(a: Date, b: Date): number;
  /**
   * `days` whole working days (the same time of working day on the Nth working day after `start`; a start
   * outside working time counts from the last working instant before it), then `ms` of business time.
   */
  addDuration(start: Date, duration: Duration): Date;
}

/** Compiles a calendar config (parsed or not; it is validated here) into a calendar. */
export function compileCalendar(config: CalendarConfig | CalendarConfigInput): BusinessCalendar {
  const parsed = parseCalendarConfig(config);
  return parsed === "24x7" ? roundTheClock : officeCalendar(parsed);
}

const roundTheClock: BusinessCalendar = {
  mode: "24x7",
  timezone: null,
  isWorkingTime: (instant) => {
    timeOf(instant);
    return true;
  },
  nextWorkingInstant: (instant) => new Date(timeOf(instant)),
  addBusinessTime: (start, ms) => new Date(timeOf(start) + amountOf(ms)),
  businessTimeBetween: (a, b) => Math.max(0, timeOf(b) - timeOf(a)),
  addDuration: (start, duration) => new Date(timeOf(start) + daysOf(duration) * DAY + amountOf(duration.ms)),
};

const EMPTY = new Float64Array(0);
const CACHE_LIMIT = 4_096;
// 1970-01-01, day 0, was a Thursday; WEEKDAYS starts on Monday.
const weekdayOf = (day: number) => WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;

function officeCalendar(config: OfficeCalendarConfig): BusinessCalendar {
  const zone = zoneOf(config.timezone);
  const hours = new Map(WEEKDAYS.map((d) => [d, config.hours[d].map((text) => parseInterval(text)!)]));
  // A make-up working day keeps the hours of a usual working day: the first weekday from Monday that has any.
  const makeUpHours = WEEKDAYS.map((d) => hours.get(d)!).find((list) => list.length > 0) ?? [];
  const holidays = new Set(config.holidays.map(dayNumber));
  const workdays = new Set(config.workdays.map(dayNumber));
  const listed = [...holidays, ...workdays];
  // Past the listed dates every week is the same, so a week with no working time there means none at all.
  const lastListed = listed.length ? Math.max(...listed) : Number.NEGATIVE_INFINITY;
  const firstListed = listed.length ? Math.min(...listed) : Number.POSITIVE_INFINITY;

  const cache = new Map<number, Float64Array>();

  /** A local day's working intervals as instants, flat [start0, end0, start1, end1, ...], ascending. */
  function intervalsOn(day: number): Float64Array {
    let found = cache.get(day);
    if (found) return found;
    const list = holidays.has(day) ? [] : workdays.has(day) ? makeUpHours : hours.get(weekdayOf(day))!;
    found = list.length === 0 ? EMPTY : expand(zone, day, list);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(day, found);
    return found;
  }

  /** Throws past the listed dates after four weeks without working time: there will never be any. */
  function guard(day: number, lastSeen: number): void {
    const beyond = day > lastSeen ? day > lastListed : day < firstListed;
    if (beyond && Math.abs(day - lastSeen) > 28)
      throw new Error(`calendar in ${zone.name} has no working time`);
  }

  function isWorking(t: number): boolean {
    const today = zone.dayOf(t);
    for (let day = today - 1; day <= today; day++) {
      const iv = intervalsOn(day);
      for (let i = 0; i < iv.length; i += 2) if (iv[i]! <= t && t <= iv[i + 1]!) return true;
    }
    return false;
  }

  function addBusiness(t: number, ms: number): number {
    let remaining = ms;
    let seen = zone.dayOf(t) - 1;
    for (let day = seen; ; day++) {
      const iv = intervalsOn(day);
      for (let i = 0; i < iv.length; i += 2) {
        const end = iv[i + 1]!;
        if (end < t) continue;
        const from = Math.max(iv[i]!, t);
        if (remaining <= end - from) return from + remaining;
        remaining -= end - from;
      }
      if (iv.length > 0) seen = day;
      else guard(day, seen);
    }
  }

  function between(a: number, b: number): number {
    if (b <= a) return 0;
    let total = 0;
    const last = zone.dayOf(b);
    for (let day = zone.dayOf(a) - 1; day <= last; day++) {
      const iv = intervalsOn(day);
      for (let i = 0; i < iv.length; i += 2) {
        const from = Math.max(iv[i]!, a);
        const to = Math.min(iv[i + 1]!, b);
        if (to > from) total += to - from;
      }
    }
    return total;
  }

  /** The latest working instant at or before t, with the local day whose interval holds it. */
  function lastWorking(t: number): { day: number; at: number } {
    let seen = zone.dayOf(t);
    for (let day = seen; ; day--) {
      const iv = intervalsOn(day);
      for (let i = iv.length - 2; i >= 0; i -= 2) {
        if (iv[i]! <= t) return { day, at: Math.min(iv[i + 1]!, t) };
      }
      if (iv.length > 0) seen = day;
      else guard(day, seen);
    }
  }

  function addDays(t: number, days: number): number {
    const { day: startDay, at } = lastWorking(t);
    const wall = at + zone.offsetAt(at) - startDay * DAY;
    let day = startDay;
    let seen = startDay;
    for (let counted = 0; counted < days; ) {
      day++;
      if (intervalsOn(day).length > 0) {
        counted++;
        seen = day;
      } else guard(day, seen);
    }
    const iv = intervalsOn(day);
    const target = zone.toInstant(day * DAY + wall);
    if (target <= iv[0]!) return iv[0]!;
    let i = iv.length - 2;
    while (iv[i]! > target) i -= 2;
    return Math.min(iv[i + 1]!, target);
  }

  return {
    mode: "office",
    timezone: zone.name,
    isWorkingTime: (instant) => isWorking(timeOf(instant)),
    nextWorkingInstant: (instant) => new Date(addBusiness(timeOf(instant), 0)),
    addBusinessTime: (start, ms) => new Date(addBusiness(timeOf(start), amountOf(ms))),
    businessTimeBetween: (a, b) => between(timeOf(a), timeOf(b)),
    addDuration: (start, duration) => {
      const days = daysOf(duration);
      const ms = amountOf(duration.ms);
      const t = timeOf(start);
      return new Date(addBusiness(days === 0 ? t : addDays(t, days), ms));
    },
  };
}

function expand(zone: Zone, day: number, list: readonly MinuteInterval[]): Float64Array {
  const out: number[] = [];
  const midnight = day * DAY;
  for (const { start, end } of list) {
    const s = zone.toInstant(midnight + start * 60_000);
    const e = zone.toInstant(midnight + end * 60_000);
    // An interval wholly inside a skipped hour (clocks going forward) has no working time.
    if (e > s) out.push(s, e);
  }
  return out.length === 0 ? EMPTY : Float64Array.from(out);
}

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY;
}

function timeOf(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`expected a valid Date, got ${String(instant)}`);
  return t;
}

function amountOf(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`expected a whole, non-negative number of milliseconds, got ${ms}`);
  }
  return ms;
}

function daysOf(duration: Duration): number {
  if (!Number.isSafeInteger(duration.days) || duration.days < 0) {
    throw new RangeError(`expected a whole, non-negative number of days, got ${duration.days}`);
  }
  return duration.days;
}
