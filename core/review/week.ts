import { DAY, zoneOf } from "../sla/calendar-zone.ts";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

export interface WeekRange {
  readonly week: string;
  /** Monday 00:00 in the time zone. */
  readonly start: Date;
  /** The next Monday 00:00: the range is [start, end). */
  readonly end: Date;
}

/** Monday of a day's week counts weekdays from Monday = 0; epoch day 0 was a Thursday. */
const weekdayOfDay = (day: number) => (((day + 3) % 7) + 7) % 7;

/** The ISO week ("2026-W47") of a local day number (days since 1970-01-01 on the local calendar). */
export function isoWeekOfDay(day: number): string {
  const thursday = day - weekdayOfDay(day) + 3;
  const year = new Date(thursday * DAY).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY) / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The local day number of the Monday of an ISO week, or undefined if there is no such week. */
function mondayOf(week: string): number | undefined {
  const m = WEEK_PATTERN.exec(week);
  if (!m) return undefined;
  const jan4 = Date.UTC(Number(m[1]), 0, 4) / DAY;
  const monday = jan4 - weekdayOfDay(jan4) + (Number(m[2]) - 1) * 7;
  return isoWeekOfDay(monday) === week ? monday : undefined;
}

export const isWeek = (week: string): boolean => mondayOf(week) !== undefined;

/** An ISO week as instants in a time zone (correct across DST: the week may be 167 or 169 hours). */
export function weekRange(week: string, timeZone: string): WeekRange {
  const monday = mondayOf(week);
  if (monday === undefined) throw new RangeError(`not an ISO week: ${JSON.stringify(week)}`);
  const zone = zoneOf(timeZone);
  return {
    week,
    start: new Date(zone.toInstant(monday * DAY)),
    end: new Date(zone.toInstant((monday + 7) * DAY)),
  };
}

/** The ISO week an instant falls in, in a time zone. */
export const weekOf = (instant: Date, timeZone: string): string =>
  isoWeekOfDay(zoneOf(timeZone).dayOf(instant.getTime()));

/** The week after a week. */
export function nextWeek(week: string): string {
  const monday = mondayOf(week);
  if (monday === undefined) throw new RangeError(`not an ISO week: ${JSON.stringify(week)}`);
  return isoWeekOfDay(monday + 7);
}

/** The week before a week. */
export function previousWeek(week: string): string {
  const monday = mondayOf(week);
  if (monday === undefined) throw new RangeError(`not an ISO week: ${JSON.stringify(week)}`);
  return isoWeekOfDay(monday - 7);
}

export interface WeeklySlot {
  readonly day: Weekday;
  /** "HH:MM", local time. */
  readonly at: string;
}

function slotOnDay(day: number, at: string, timeZone: string): number {
  const [h, m] = at.split(":").map(Number) as [number, number];
  return zoneOf(timeZone).toInstant(day * DAY + (h * 60 + m) * 60_000);
}

/** The latest instant at or before `now` that is the slot's weekday and time in the zone. */
export function latestSlot(now: Date, slot: WeeklySlot, timeZone: string): Date {
  const today = zoneOf(timeZone).dayOf(now.getTime());
  const day = today - ((weekdayOfDay(today) - WEEKDAYS.indexOf(slot.day) + 7) % 7);
  const at = slotOnDay(day, slot.at, timeZone);
  return new Date(at <= now.getTime() ? at : slotOnDay(day - 7, slot.at, timeZone));
}

/** The first slot after `now`. */
export function nextSlot(now: Date, slot: WeeklySlot, timeZone: string): Date {
  const latest = latestSlot(now, slot, timeZone);
  const day = zoneOf(timeZone).dayOf(latest.getTime());
  return new Date(slotOnDay(day + 7, slot.at, timeZone));
}

/** The week a slot reviews: the last whole ISO week before the one the slot falls in. */
export const reviewedWeek = (slot: Date, timeZone: string): string => previousWeek(weekOf(slot, timeZone));
