import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../i18n/index.ts";
import { type CardContext, DEFAULT_TIME_ZONE } from "./context.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 2 d 3 h, 3 h 20 min, 45 min; whole minutes, at most two units. */
export function formatDuration(ms: number, locale: Locale): string {
  const total = Math.floor(Math.abs(ms) / MINUTE);
  if (total < 1) return t(locale, "duration.lessThanMinute");
  const days = Math.floor((total * MINUTE) / DAY);
  const hours = Math.floor(((total * MINUTE) % DAY) / HOUR);
  const minutes = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(t(locale, "duration.days", { n: days }));
  if (hours > 0) parts.push(t(locale, "duration.hours", { n: hours }));
  if (days === 0 && minutes > 0) parts.push(t(locale, "duration.minutes", { n: minutes }));
  return parts.slice(0, 2).join(t(locale, "duration.join"));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** 11-18 09:05 in the card's zone; the year only when it differs from now's. */
export function formatTime(iso: string, ctx: CardContext): string {
  const zone = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const key = zone;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(key, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const nowYear = Object.fromEntries(f.formatToParts(ctx.now).map((p) => [p.type, p.value])).year;
  const date = `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  return parts.year === nowYear ? date : `${parts.year}-${date}`;
}
