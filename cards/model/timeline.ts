import type { TicketView } from "../../core/ticket/view.ts";
import { hasMessage, t } from "../i18n/index.ts";
import { clip, oneLine } from "../text/clean.ts";
import { type CardContext, personOf } from "./context.ts";
import { formatTime } from "./format.ts";
import { fill, strong, text } from "./inline.ts";
import type { Block, Inline, TimelineLine } from "./types.ts";

type Entry = NonNullable<TicketView["timeline"]>[number];

/** How many history lines a card shows before the rest is "on the board". */
export const TIMELINE_LIMIT = 6;
const DETAIL_MAX = 200;

/** Bookkeeping a person does not need on a card: deadlines, SLA stages, audit of reveals. */
const HIDDEN = new Set<string>(["deadlines_set", "sla_stage", "contact_revealed"]);

const detail = (value: unknown): string => clip(oneLine(typeof value === "string" ? value : ""), DETAIL_MAX);

function phrase(e: Entry, ctx: CardContext): Inline[] {
  const { locale } = ctx;
  const nameOf = (v: unknown) => (typeof v === "string" ? personOf(ctx, v).name : "");
  const type: string = e.type;
  switch (type) {
    case "assigned": {
      const how = e.how === "assign" || e.how === "auto" ? e.how : "claim";
      return how === "claim"
        ? [text(t(locale, "event.assigned.claim"))]
        : fill(locale, `event.assigned.${how}`, { owner: nameOf(e.owner) });
    }
    case "resolved":
      return fill(locale, "event.resolved", { text: detail(e.solution) });
    case "reopened":
      return fill(locale, "event.reopened", { text: detail(e.reason) });
    case "commented":
      return fill(locale, "event.commented", { text: detail(e.text) });
    case "nudged":
      return fill(locale, "event.nudged", { target: nameOf(e.target) });
    case "paused":
      return fill(locale, "event.paused", { text: detail(e.reason) });
    case "remedied":
      return fill(locale, "event.remedied", { text: detail(e.note) });
    case "escalated": {
      const to = Array.isArray(e.to) ? e.to.map(nameOf).join(t(locale, "list.separator")) : "";
      return fill(locale, "event.escalated", { to, level: Number(e.level) || 1 });
    }
    case "confirmed":
      return e.result === "disputed"
        ? fill(locale, "event.confirmed.disputed", { text: detail(e.reason) })
        : [text(t(locale, "event.confirmed.confirmed"))];
    case "surveyed":
      return fill(locale, "event.surveyed", {
        resolution: Number(e.resolutionScore),
        attitude: Number(e.attitudeScore),
      });
    default: {
      const key = `event.${type}`;
      return [text(hasMessage(key) ? t(locale, key) : t(locale, "event.other"))];
    }
  }
}

export function timelineLine(e: Entry, ctx: CardContext): TimelineLine {
  return { at: formatTime(e.at, ctx), content: [strong(e.actorName), text(" "), ...phrase(e, ctx)] };
}

/** Newest first, at most `limit` lines; the rest counted as omitted. */
export function timelineBlock(view: TicketView, ctx: CardContext, limit = TIMELINE_LIMIT): Block | undefined {
  const all = (view.timeline ?? []).filter((e) => !HIDDEN.has(e.type));
  if (all.length === 0) return undefined;
  const newestFirst = [...all].reverse();
  const shown = newestFirst.slice(0, limit);
  return {
    kind: "timeline",
    title: t(ctx.locale, "timeline.title"),
    entries: shown.map((e) => timelineLine(e, ctx)),
    omitted: newestFirst.length - shown.length,
  };
}
