import type { Deadlines } from "../../core/ticket/events.ts";
import type { Status } from "../../core/ticket/schema.ts";
import type { CardContext } from "./context.ts";

/** Every clock a ticket may run (core's SLA targets); the card shows the ones in a ticket's deadlines. */
export type SlaTarget = "firstResponse" | "update" | "resolution" | "survey" | "remedy";

export type SlaState =
  | { readonly state: "none" }
  | { readonly state: "done" }
  | {
      readonly state: "ok" | "soon" | "overdue";
      readonly target: SlaTarget;
      readonly due: string;
      /** Time left, or overdue by: business time when the context has a calendar, else elapsed time. */
      readonly ms: number;
      readonly business: boolean;
    };

/** Less than this left on a deadline shows as "soon". */
export const SOON_MS = 2 * 60 * 60 * 1000;

interface SlaTicket {
  readonly status: Status;
  readonly due: Deadlines;
  readonly firstResponseAt?: string;
}

/** The deadline that matters next: the earliest of those still open. */
export function nextDeadline(ticket: SlaTicket): { target: keyof Deadlines; due: string } | undefined {
  if (ticket.status === "resolved") return undefined;
  let next: { target: keyof Deadlines; due: string } | undefined;
  let nextAt = Number.POSITIVE_INFINITY;
  const consider = (target: keyof Deadlines, due: string | undefined) => {
    const at = due === undefined ? Number.NaN : Date.parse(due);
    if (at < nextAt) {
      next = { target, due: due! };
      nextAt = at;
    }
  };
  if (!ticket.firstResponseAt) consider("firstResponse", ticket.due.firstResponse);
  consider("update", ticket.due.update);
  consider("resolution", ticket.due.resolution);
  return next;
}

/** Business (or elapsed) milliseconds from `from` to `to`; 0 when `to` is not after `from`. */
export function between(ctx: CardContext, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  return ctx.businessTime ? Math.max(0, ctx.businessTime(from, to)) : to.getTime() - from.getTime();
}

// A card asks for the same ticket's clock more than once (header and fields): the last answer is kept.
const lastAnswer = new WeakMap<SlaTicket, { readonly ctx: CardContext; readonly sla: SlaState }>();

export function slaOf(ticket: SlaTicket, ctx: CardContext): SlaState {
  const kept = lastAnswer.get(ticket);
  if (kept?.ctx === ctx) return kept.sla;
  const sla = computeSla(ticket, ctx);
  lastAnswer.set(ticket, { ctx, sla });
  return sla;
}

function computeSla(ticket: SlaTicket, ctx: CardContext): SlaState {
  if (ticket.status === "resolved") return { state: "done" };
  const next = nextDeadline(ticket);
  if (!next) return { state: "none" };
  const due = new Date(next.due);
  const business = ctx.businessTime !== undefined;
  if (due.getTime() <= ctx.now.getTime()) {
    return { state: "overdue", ...next, ms: between(ctx, due, ctx.now), business };
  }
  const left = between(ctx, ctx.now, due);
  return { state: left <= SOON_MS ? "soon" : "ok", ...next, ms: left, business };
}

/** How long a given deadline has been missed by at `now` (0 if it has not been). */
export function overdueBy(due: string | undefined, ctx: CardContext): number {
  if (!due) return 0;
  return between(ctx, new Date(due), ctx.now);
}
