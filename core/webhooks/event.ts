import { scanPhones } from "../privacy/detect.ts";
import type { TicketEvent } from "../ticket/events.ts";
import { evolve, type TicketState } from "../ticket/state.ts";

export const WEBHOOK_EVENT_TYPES = [
  "ticket.created",
  "ticket.status_changed",
  "ticket.escalated",
  "survey.answered",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The ticket as an event shows it: routing and state, never contact data (the name only, contact masked). */
export interface WebhookTicket {
  readonly number: string;
  readonly status: string;
  readonly priority: string;
  readonly problemType: string;
  readonly department: string;
  readonly owner: string | null;
  readonly createdAt: string;
  readonly version: number;
}

/** What a receiver gets: the body of the POST. `id` is the same on every retry: dedupe on it. */
export interface WebhookEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  /** When it happened (not when it was sent: the X-Closeloop-Timestamp header says that). */
  readonly occurredAt: string;
  readonly ticket: WebhookTicket;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Free text is masked when stored; this holds whatever slipped past. */
const text = (s: string | undefined): string | null => (s === undefined ? null : scanPhones(s).text);

/** `evt_CS2026110001_000003`: the ticket and the event's place in its timeline, padded so ids sort in order. */
export const webhookEventId = (number: string, seq: number): string =>
  `evt_${number}_${String(seq).padStart(6, "0")}`;

function ticketOf(t: TicketState): WebhookTicket {
  return {
    number: t.number,
    status: t.status,
    priority: t.priority,
    problemType: t.problemType,
    department: t.department,
    owner: t.owner ?? null,
    createdAt: t.createdAt,
    version: t.version,
  };
}

function describe(
  e: TicketEvent,
  before: TicketState | undefined,
  after: TicketState,
): { type: WebhookEventType; data: Record<string, unknown> } | undefined {
  switch (e.type) {
    case "created":
      return {
        type: "ticket.created",
        data: {
          by: e.actor,
          via: e.via,
          description: text(e.description),
          channel: e.channel ?? null,
          product: e.product ?? null,
          customer: {
            name: e.customer.name ?? null,
            type: e.customer.type,
            contact: e.customer.phone?.masked ?? null,
          },
        },
      };
    case "started":
    case "resolved":
    case "reopened":
      if (!before || before.status === after.status) return undefined;
      return {
        type: "ticket.status_changed",
        data: {
          from: before.status,
          to: after.status,
          by: e.actor,
          ...(e.type === "resolved" ? { solution: text(e.solution) } : {}),
          ...(e.type === "reopened" ? { reason: text(e.reason) } : {}),
        },
      };
    case "escalated":
      return {
        type: "ticket.escalated",
        data: { level: e.level, to: e.to, reasons: e.reasons, by: e.actor },
      };
    case "surveyed":
      return {
        type: "survey.answered",
        data: {
          resolutionScore: e.resolutionScore,
          attitudeScore: e.attitudeScore,
          method: e.method,
          suggestion: text(e.suggestion),
          remedy: e.remedy,
          by: e.actor,
        },
      };
    default:
      return undefined;
  }
}

/** The webhook events a change causes, one per ticket event that has one, in timeline order. */
export function webhookEventsOf(
  before: TicketState | undefined,
  events: readonly TicketEvent[],
): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  let state = before;
  for (const e of events) {
    const next = evolve(state, e);
    const described = describe(e, state, next);
    if (described) {
      out.push({
        id: webhookEventId(next.number, next.seq),
        type: described.type,
        occurredAt: e.at,
        ticket: ticketOf(next),
        data: described.data,
      });
    }
    state = next;
  }
  return out;
}
