import { DomainError, validationError } from "../errors.ts";
import { DAY, zoneOf } from "../sla/calendar-zone.ts";

/** Local days, both ends included, as instants: [from, to). Either end may be open. */
export interface DayRange {
  readonly from?: number;
  readonly to?: number;
  /** The days as asked ("2024-05-01", "2024-05-31"), for file names. */
  readonly days: { readonly from?: string; readonly to?: string };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The wall-clock value of a calendar date's midnight, or undefined when it is no real date. */
function midnight(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const wall = Date.UTC(y, mo - 1, d);
  const back = new Date(wall);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return wall;
}

/**
 * `from` and `to` as calendar dates (YYYY-MM-DD) in `timeZone`, both days included. Refused with a message
 * naming the field when a date is malformed or the range runs backwards.
 */
export function parseDayRange(input: { from?: string; to?: string }, timeZone: string): DayRange {
  const zone = zoneOf(timeZone);
  const issues: { field: string; message: string }[] = [];
  const read = (field: "from" | "to"): number | undefined => {
    const raw = input[field]?.trim();
    if (!raw) return undefined;
    const wall = midnight(raw);
    if (wall === undefined)
      issues.push({ field, message: `expected a date YYYY-MM-DD, got "${raw.slice(0, 40)}"` });
    return wall;
  };
  const fromWall = read("from");
  const toWall = read("to");
  if (issues.length) throw validationError(issues);
  if (fromWall !== undefined && toWall !== undefined && fromWall > toWall) {
    throw new DomainError(
      "validation",
      {
        "zh-CN": `日期范围有误：开始日期 ${input.from} 晚于结束日期 ${input.to}`,
        en: `Invalid date range: from ${input.from} is after to ${input.to}`,
      },
      { issues: [{ field: "from", message: "after to" }] },
    );
  }
  return {
    ...(fromWall === undefined ? {} : { from: zone.toInstant(fromWall) }),
    ...(toWall === undefined ? {} : { to: zone.toInstant(toWall + DAY) }),
    days: { from: input.from?.trim() || undefined, to: input.to?.trim() || undefined },
  };
}

export function inRange(range: DayRange, iso: string | undefined): boolean {
  if (range.from === undefined && range.to === undefined) return true;
  if (iso === undefined) return false;
  const at = Date.parse(iso);
  return (range.from === undefined || at >= range.from) && (range.to === undefined || at < range.to);
}
