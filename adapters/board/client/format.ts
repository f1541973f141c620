/// <reference lib="dom" />
import { label, PRIORITY_LABELS, PROBLEM_TYPE_LABELS, STATUS_LABELS } from "../../../core/i18n/labels.ts";
import type { Locale } from "../../../core/i18n/locale.ts";
import { type BoardKey, bt, formatSpan } from "../i18n.ts";
import type { SlaBadge } from "../tiles.ts";

export interface Fmt {
  readonly locale: Locale;
  t(key: BoardKey, params?: Record<string, string | number>): string;
  time(iso: string | undefined): string;
  status(s: string): string;
  priority(p: string): string;
  problemType(p: string): string;
  sla(badge: SlaBadge): string;
}

export function formatter(locale: Locale, timeZone: string): Fmt {
  const dt = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    timeZone,
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const t = (key: BoardKey, params: Record<string, string | number> = {}) => bt(locale, key, params);
  return {
    locale,
    t,
    time: (iso) => (iso ? dt.format(new Date(iso)) : bt(locale, "drawer.none")),
    status: (s) => label(STATUS_LABELS, s)[locale],
    priority: (p) => label(PRIORITY_LABELS, p)[locale],
    problemType: (p) => label(PROBLEM_TYPE_LABELS, p)[locale],
    sla: (b) => {
      if (!("ms" in b)) return t(b.state === "none" ? "sla.none" : "sla.done");
      const d = formatSpan(b.ms, locale);
      const key = b.state === "overdue" ? "sla.overdue" : b.state === "soon" ? "sla.soon" : "sla.left";
      return `${t(`sla.target.${b.target}` as BoardKey)} · ${t(key, { d })}`;
    },
  };
}
