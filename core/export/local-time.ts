import { DAY, zoneOf } from "../sla/calendar-zone.ts";
import type { LocalTime } from "./cells.ts";

/** Per zone and UTC day: the day's offset when it is the same at both ends, else null (a change that day). */
const days = new Map<string, number | null>();

/**
 * A zone's offset at an instant. An export asks three times per row and Intl is slow, so a day whose offset is
 * the same at both ends (nearly every day: no zone changes twice in a day) is looked up once.
 */
function offsetAt(timeZone: string, at: number): number {
  const day = Math.floor(at / DAY);
  const key = `${timeZone}|${day}`;
  let offset = days.get(key);
  if (offset === undefined) {
    if (days.size >= 20_000) days.clear();
    const zone = zoneOf(timeZone);
    const start = zone.offsetAt(day * DAY);
    offset = start === zone.offsetAt((day + 1) * DAY - 1) ? start : null;
    days.set(key, offset);
  }
  return offset ?? zoneOf(timeZone).offsetAt(at);
}

/** An ISO instant as the wall clock of `timeZone` shows it; undefined stays undefined. */
export function localTime(iso: string | undefined, timeZone: string): LocalTime | undefined {
  if (iso === undefined) return undefined;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return undefined;
  return { wall: at + offsetAt(timeZone, at) };
}
