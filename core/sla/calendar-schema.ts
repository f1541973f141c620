import { z } from "zod";
import { validationError } from "../errors.ts";
import { CN_HOLIDAYS, CN_WORKDAYS } from "./holidays/cn.ts";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DEFAULT_TIMEZONE = "Asia/Shanghai";
const OFFICE_DAY = ["09:00-12:00", "13:30-18:00"];
export const DEFAULT_HOURS: Readonly<Record<Weekday, readonly string[]>> = {
  mon: OFFICE_DAY,
  tue: OFFICE_DAY,
  wed: OFFICE_DAY,
  thu: OFFICE_DAY,
  fri: OFFICE_DAY,
  sat: [],
  sun: [],
};

const INTERVAL = /^([01]\d|2[0-3]):([0-5]\d)-(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Minutes since local midnight of an interval's start and end (end may be 1440, "24:00"). */
export interface MinuteInterval {
  readonly start: number;
  readonly end: number;
}

/** Parses a checked "HH:MM-HH:MM" interval; undefined when the text is not one. */
export function parseInterval(text: string): MinuteInterval | undefined {
  const m = INTERVAL.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = m[5] === undefined ? Number(m[3]) * 60 + Number(m[4]) : 1440;
  return { start, end };
}

const intervalText = z
  .string({ error: 'expected "HH:MM-HH:MM"' })
  .trim()
  .superRefine((text, ctx) => {
    const interval = parseInterval(text);
    if (!interval) ctx.addIssue({ code: "custom", message: `expected "HH:MM-HH:MM", got "${text}"` });
    else if (interval.start >= interval.end) {
      ctx.addIssue({ code: "custom", message: `expected the start before the end, got "${text}"` });
    }
  });

const dayHours = z
  .array(intervalText, { error: 'expected a list of "HH:MM-HH:MM" intervals' })
  .superRefine((list, ctx) => {
    const parsed = list.map((text, index) => ({ text, index, interval: parseInterval(text) }));
    const valid = parsed.filter((p) => p.interval && p.interval.start < p.interval.end);
    valid.sort((a, b) => a.interval!.start - b.interval!.start);
    for (let i = 1; i < valid.length; i++) {
      const before = valid[i - 1]!;
      const after = valid[i]!;
      if (after.interval!.start < before.interval!.end) {
        ctx.addIssue({
          code: "custom",
          path: [after.index],
          message: `expected intervals that do not overlap, "${after.text}" overlaps "${before.text}"`,
        });
      }
    }
  })
  .transform((list) => [...list].sort((a, b) => parseInterval(a)!.start - parseInterval(b)!.start));

const hoursSchema = z.strictObject(
  {
    mon: dayHours.default([]),
    tue: dayHours.default([]),
    wed: dayHours.default([]),
    thu: dayHours.default([]),
    fri: dayHours.default([]),
    sat: dayHours.default([]),
    sun: dayHours.default([]),
  },
  {
    error: objectError(
      "mon, tue, wed, thu, fri, sat, sun",
      "an object with keys mon, tue, wed, thu, fri, sat, sun",
    ),
  },
);

/** An object's error: its unknown keys named, or what the value should have been. */
function objectError(keys: string, expected: string) {
  return (issue: { code?: string; keys?: readonly string[] }) =>
    issue.code === "unrecognized_keys"
      ? `unknown key ${(issue.keys ?? []).map((k) => `"${k}"`).join(", ")}; expected ${keys}`
      : `expected ${expected}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether a "YYYY-MM-DD" names a real calendar date. */
export function isDateString(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === text;
}

const dateText = z
  .string({ error: 'expected a date "YYYY-MM-DD"' })
  .trim()
  .refine(isDateString, { error: (issue) => `expected a date "YYYY-MM-DD", got "${String(issue.input)}"` });

const dateList = z.array(dateText, { error: 'expected a list of dates "YYYY-MM-DD"' });

const timeZone = z
  .string({ error: 'expected an IANA time zone such as "Asia/Shanghai"' })
  .trim()
  .refine(isTimeZone, {
    error: (issue) => `expected an IANA time zone such as "Asia/Shanghai", got "${String(issue.input)}"`,
  });

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const calendarObjectSchema = z
  .strictObject(
    {
      timezone: timeZone.default(DEFAULT_TIMEZONE),
      /** Replaces the default week as a whole: a weekday left out has no working hours. */
      hours: hoursSchema.prefault(() => ({
        mon: [...DEFAULT_HOURS.mon],
        tue: [...DEFAULT_HOURS.tue],
        wed: [...DEFAULT_HOURS.wed],
        thu: [...DEFAULT_HOURS.thu],
        fri: [...DEFAULT_HOURS.fri],
      })),
      holidays: dateList.default(() => [...CN_HOLIDAYS]),
      workdays: dateList.default(() => [...CN_WORKDAYS]),
    },
    {
      error: objectError(
        "timezone, hours, holidays, workdays",
        '"24x7" or an object with timezone, hours, holidays and workdays',
      ),
    },
  )
  .superRefine((calendar, ctx) => {
    if (WEEKDAYS.every((day) => calendar.hours[day].length === 0)) {
      ctx.addIssue({
        code: "custom",
        path: ["hours"],
        message: 'expected at least one working interval in the week (or the calendar "24x7")',
      });
    }
    const holidays = new Set(calendar.holidays);
    calendar.workdays.forEach((date, index) => {
      if (holidays.has(date)) {
        ctx.addIssue({
          code: "custom",
          path: ["workdays", index],
          message: `expected a date that is not also a holiday, "${date}" is in both lists`,
        });
      }
    });
  })
  .transform((calendar) => ({
    timezone: calendar.timezone,
    hours: calendar.hours,
    holidays: [...new Set(calendar.holidays)].sort(),
    workdays: [...new Set(calendar.workdays)].sort(),
  }));

/**
 * `sla.calendar`: "24x7", or working hours per weekday in a time zone with holidays and make-up working days.
 * Missing, it is the default office calendar (Mon-Fri 09:00-12:00 and 13:30-18:00, Asia/Shanghai, mainland
 * China's holidays and make-up working days).
 */
export const calendarConfigSchema = z
  .custom<Exclude<CalendarConfigInput, undefined>>()
  .optional()
  .transform((input, ctx): CalendarConfig => {
    if (input === "24x7") return "24x7";
    // Not z.union: its error would hide the object's issues behind "Invalid input".
    const result = calendarObjectSchema.safeParse(input ?? {});
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input });
    }
    return z.NEVER;
  });

export type OfficeCalendarConfig = z.output<typeof calendarObjectSchema>;
export type CalendarConfig = "24x7" | OfficeCalendarConfig;
export type CalendarConfigInput = "24x7" | z.input<typeof calendarObjectSchema> | undefined;

/** An issue path as an operator writes it: `sla.calendar.hours.mon[1]`. */
export function formatConfigPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out || "(root)";
}

/** Parses `sla.calendar`, or throws a validation error whose fields read like `sla.calendar.hours.mon[1]`. */
export function parseCalendarConfig(input: unknown, root = "sla.calendar"): CalendarConfig {
  const result = calendarConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(
    result.error.issues.map((issue) => ({
      field: formatConfigPath(root, issue.path),
      message: issue.message,
    })),
  );
}
