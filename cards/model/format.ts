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

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
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
    formatters.set(zone, f);
  }
  return f;
}

// Formatting a date in a zone is the costliest step of drawing a card, and a card's times repeat (its
// timeline on every click, "now" on every card): each zone's minute is formatted once.
const minutes = new Map<string, { readonly year: string; readonly text: string }>();

function minuteIn(zone: string, ms: number): { readonly year: string; readonly text: string } {
  const key = `${zone}|${Math.floor(ms / MINUTE)}`;
  let known = minutes.get(key);
  if (!known) {
    const parts: Record<string, string> = {};
    for (const p of formatter(zone).formatToParts(ms)) parts[p.type] = p.value;
    known = { year: parts.year ?? "", text: `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}` };
    if (minutes.size >= 8192) minutes.clear();
    minutes.set(key, known);
  }
  return known;
}

/** 11-18 09:05 in the card's zone; the year only when it differs from now's. */
export function formatTime(iso: string, ctx: CardContext): string {
  const zone = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const { year, text } = minuteIn(zone, at);
  return year === minuteIn(zone, ctx.now.getTime()).year ? text : `${year}-${text}`;
}
