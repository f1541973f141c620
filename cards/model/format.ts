import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../i18n/index.ts";
import { memo } from "../text/memo.ts";
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
const minuteIn = memo((key: string): { readonly year: string; readonly text: string } => {
  const [zone, minute] = key.split("|") as [string, string];
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(Number(minute) * MINUTE)) parts[p.type] = p.value;
  return { year: parts.year ?? "", text: `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}` };
}, 8192);

const minuteOf = (zone: string, ms: number) => minuteIn(`${zone}|${Math.floor(ms / MINUTE)}`);

/** 11-18 09:05 in the card's zone; the year only when it differs from now's. */
export function formatTime(iso: string, ctx: CardContext): string {
  const zone = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const { year, text } = minuteOf(zone, at);
  return year === minuteOf(zone, ctx.now.getTime()).year ? text : `${year}-${text}`;
}
