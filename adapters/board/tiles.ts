import { nextDeadline } from "../../cards/model/sla.ts";
import { ticketButtons } from "../../cards/model/ticket-buttons.ts";
import type { Directory } from "../../core/directory/directory.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { TicketRecord } from "../../core/ports.ts";
import type { SlaPlanner } from "../../core/sla/planner.ts";
import type { TicketState } from "../../core/ticket/state.ts";
import { ticketView } from "../../core/ticket/view.ts";

/** A deadline's badge: time left (ok, or soon inside the warning window) or overdue by, in business time. */
export type SlaBadge =
  | { readonly state: "none" | "done" }
  | {
      readonly state: "ok" | "soon" | "overdue";
      readonly target: string;
      readonly due: string;
      readonly ms: number;
    };

/** What the board needs to draw one ticket for one viewer. */
export interface Tile {
  readonly number: string;
  readonly status: TicketState["status"];
  readonly version: number;
  readonly title: string;
  readonly priority: TicketState["priority"];
  readonly customerType: TicketState["customer"]["type"];
  readonly customerName?: string;
  readonly department: string;
  readonly departmentName: string;
  readonly owner?: string;
  readonly ownerName?: string;
  readonly problemType: string;
  readonly sla: SlaBadge;
  readonly paused: boolean;
  readonly nudges: {
    readonly count: number;
    readonly lastAt?: string;
    readonly lastByName?: string;
    /** Inside the rate-limit window for the current owner: the instant a nudge is possible again. */
    readonly nextAt?: string;
  };
  readonly escalation: number;
  /** What this viewer may do, by the same rules as the card's buttons. */
  readonly actions: readonly string[];
  readonly mine: boolean;
  readonly createdAt: string;
  readonly resolvedAt?: string;
}

export interface TileContext {
  readonly directory: Directory;
  readonly sla: SlaPlanner;
  readonly nudgeWindowMs: number;
  readonly viewer: Person;
  readonly now: Date;
}

const firstLine = (text: string) => {
  const line = text.split(/\r?\n/, 1)[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

export function slaBadge(t: TicketState, sla: SlaPlanner, now: Date): SlaBadge {
  if (t.status === "resolved") return { state: "done" };
  const next = nextDeadline(t);
  if (!next) return { state: "none" };
  const due = new Date(next.due);
  const cal = sla.calendarFor(t);
  if (due.getTime() <= now.getTime()) {
    return { state: "overdue", target: next.target, due: next.due, ms: cal.businessTimeBetween(due, now) };
  }
  const warn = t.schedule.find((s) => s.target === next.target && s.stage === "warn" && s.due === next.due);
  const soon = warn !== undefined && Date.parse(warn.at) <= now.getTime();
  return {
    state: soon ? "soon" : "ok",
    target: next.target,
    due: next.due,
    ms: cal.businessTimeBetween(now, due),
  };
}

function nudgeState(r: TicketRecord, ctx: TileContext): Tile["nudges"] {
  const { nudges, owner } = r.state;
  const lastByName = nudges.lastBy ? (ctx.directory.person(nudges.lastBy)?.name ?? nudges.lastBy) : undefined;
  let nextAt: string | undefined;
  for (let i = r.events.length - 1; i >= 0; i--) {
    const e = r.events[i]!;
    if (e.type !== "nudged" || e.target !== owner) continue;
    const at = Date.parse(e.at) + ctx.nudgeWindowMs;
    if (at > ctx.now.getTime()) nextAt = new Date(at).toISOString();
    break;
  }
  return { count: nudges.count, lastAt: nudges.lastAt, lastByName, nextAt };
}

/** One ticket as a board tile, for one viewer: actions follow the card's buttons for that person. */
export function tileOf(r: TicketRecord, ctx: TileContext): Tile {
  const s = r.state;
  const { directory } = ctx;
  const view = ticketView(r, { directory, withTimeline: false });
  const actions = ticketButtons(view, { directory, locale: "en", now: ctx.now, viewer: ctx.viewer })
    .map((b) => b.id)
    .filter((id) => id !== "board");
  return {
    number: s.number,
    status: s.status,
    version: s.version,
    title: firstLine(s.description),
    priority: s.priority,
    customerType: s.customer.type,
    customerName: s.customer.name,
    department: s.department,
    departmentName: directory.department(s.department)?.name ?? s.department,
    owner: s.owner,
    ownerName: s.owner ? (directory.person(s.owner)?.name ?? s.owner) : undefined,
    problemType: s.problemType,
    sla: slaBadge(s, ctx.sla, ctx.now),
    paused: s.paused !== undefined,
    nudges: nudgeState(r, ctx),
    escalation: s.escalation.level,
    actions,
    mine: s.owner === ctx.viewer.id,
    createdAt: s.createdAt,
    resolvedAt: s.resolvedAt,
  };
}
