import type { Directory } from "../directory/directory.ts";
import type { TicketRecord } from "../ports.ts";
import type { TicketEvent } from "./events.ts";

export interface TimelineEntry {
  readonly type: TicketEvent["type"];
  readonly at: string;
  readonly actor: string;
  readonly actorName: string;
  readonly via: string;
  readonly [detail: string]: unknown;
}

/** Event details a person may read: sealed contacts never leave the store. */
function details(e: TicketEvent): Record<string, unknown> {
  switch (e.type) {
    case "created":
      return { department: e.department, priority: e.priority, problemType: e.problemType, owner: e.owner };
    case "assigned":
      return { owner: e.owner, department: e.department, how: e.how };
    case "resolved":
      return { solution: e.solution };
    case "reopened":
      return { reason: e.reason };
    case "commented":
      return { text: e.text };
    case "nudged":
      return { target: e.target };
    case "contact_revealed":
      return { field: e.field };
    case "deadlines_set":
      return { due: e.due };
    case "updated":
      return { changes: e.changes };
    case "paused":
      return { reason: e.reason };
    case "resumed":
      return { pausedMs: e.pausedMs };
    case "escalated":
      return { to: e.to, level: e.level, reasons: e.reasons };
    case "sla_stage":
      return { target: e.target, stage: e.stage, level: e.level, due: e.due, notified: e.notified };
    case "confirmed":
      return { result: e.result, reason: e.reason };
    case "surveyed":
      return {
        resolutionScore: e.resolutionScore,
        attitudeScore: e.attitudeScore,
        method: e.method,
        suggestion: e.suggestion,
        remedy: e.remedy,
      };
    case "remedied":
      return { note: e.note };
    case "card_posted":
      return { platform: e.placement.platform };
    case "started":
      return {};
  }
}

export function timelineOf(events: readonly TicketEvent[], dir: Directory): TimelineEntry[] {
  return events.map((e) => ({
    type: e.type,
    at: e.at,
    actor: e.actor,
    actorName: dir.person(e.actor)?.name ?? e.actor,
    via: e.via,
    ...details(e),
  }));
}

export interface ViewOptions {
  readonly directory: Directory;
  /** The contact in clear: set only in the answer to an allowed reveal. */
  readonly revealedPhone?: string;
  readonly withTimeline?: boolean;
}

/** The ticket as the API shows it: contacts masked unless this very answer is an allowed reveal. */
export function ticketView(record: TicketRecord, opts: ViewOptions) {
  const t = record.state;
  return {
    number: t.number,
    status: t.status,
    version: t.version,
    priority: t.priority,
    mood: t.mood,
    problemType: t.problemType,
    problemTag: t.problemTag,
    department: t.department,
    owner: t.owner,
    firstContact: t.firstContact,
    watchers: t.watchers,
    customer: {
      name: t.customer.name,
      phone: opts.revealedPhone ?? t.customer.phone?.masked,
      id: t.customer.id,
      type: t.customer.type,
      organisation: t.customer.organisation,
      tags: t.customer.tags,
      history: t.customer.history,
      otherContacts: t.contacts.map((c) => c.masked),
    },
    origin: t.origin,
    channel: t.channel,
    description: t.description,
    product: t.product,
    orderNo: t.orderNo,
    occurredAt: t.occurredAt,
    occurredWhere: t.occurredWhere,
    demand: t.demand,
    evidence: t.evidence,
    rules: t.rules,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    updatedBy: t.updatedBy,
    firstResponseAt: t.firstResponseAt,
    startedAt: t.startedAt,
    resolvedAt: t.resolvedAt,
    reopenedAt: t.reopenedAt,
    solution: t.solution,
    reopenReason: t.reopenReason,
    nudges: t.nudges,
    due: { ...t.due },
    nextDueAt: t.nextDueAt,
    paused: t.paused,
    escalation: t.escalation,
    confirmation: t.confirmation,
    survey: t.survey,
    remedy: t.remedy,
    ...(opts.withTimeline === false ? {} : { timeline: timelineOf(record.events, opts.directory) }),
  };
}

export type TicketView = ReturnType<typeof ticketView>;
