import { placeRecipient } from "../chat/platform.ts";
import type { Directory } from "../directory/directory.ts";
import type { OutboxIntent } from "../ports.ts";
import { isMaterial, type TicketEvent } from "../ticket/events.ts";
import type { TicketState } from "../ticket/state.ts";

/** What a notification is about; adapters render each kind as a card or a message. */
export const NOTIFICATION_KINDS = [
  "assigned",
  "new_ticket",
  "nudge",
  "escalation",
  "sla_warning",
  "overdue_alert",
  "confirmation_request",
  "survey_request",
  "remedy_alert",
  "reopened",
  "card_update",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface IntentOptions {
  readonly directory: Directory;
  /** Also ring the platform's urgent channel on a nudge, where it has one. */
  readonly nudgeUrgent: boolean;
}

/**
 * The notifications a change causes. Each key names the ticket, the event's position in the timeline, the
 * kind and the recipient, so replaying the same change can never queue a second delivery.
 */
export function planNotifications(
  before: TicketState | undefined,
  after: TicketState,
  events: readonly TicketEvent[],
  opts: IntentOptions,
): OutboxIntent[] {
  const out: OutboxIntent[] = [];
  const head = opts.directory.department(after.department)?.head;
  let seq = before?.seq ?? 0;
  for (const e of events) {
    seq += 1;
    const add = (kind: NotificationKind, recipients: readonly (string | undefined)[], payload = {}) => {
      for (const recipient of new Set(recipients)) {
        if (!recipient) continue;
        out.push({
          key: `${after.number}:${seq}:${kind}:${recipient}`,
          kind,
          recipient,
          ticket: after.number,
          payload: { by: e.actor, at: e.at, platform: after.origin.platform, ...payload },
        });
      }
    };
    switch (e.type) {
      case "created":
        if (e.owner) add("assigned", [e.owner]);
        else add("new_ticket", [head]);
        break;
      case "assigned":
        if (!(e.how === "claim" && e.actor === e.owner)) add("assigned", [e.owner]);
        break;
      case "escalated":
        if (!e.reasons.some((r) => r.kind === "sla_overdue")) {
          add("escalation", e.to, { level: e.level, reasons: e.reasons });
        }
        break;
      case "nudged":
        add("nudge", [e.target], { urgent: opts.nudgeUrgent, chat: after.origin });
        break;
      case "sla_stage":
        add(e.stage === "warn" ? "sla_warning" : "overdue_alert", e.notified, {
          target: e.target,
          stage: e.stage,
          level: e.level,
          due: e.due,
        });
        break;
      case "resolved":
        add("confirmation_request", [after.firstContact]);
        break;
      case "confirmed":
        if (e.result === "confirmed") add("survey_request", [after.firstContact]);
        break;
      case "reopened":
        if (e.actor !== after.owner) add("reopened", [after.owner ?? head], { reason: e.reason });
        break;
      case "surveyed":
        if (e.remedy) {
          add("remedy_alert", [head, after.firstContact], {
            resolutionScore: e.resolutionScore,
            attitudeScore: e.attitudeScore,
          });
        }
        break;
      default:
        break;
    }
  }
  // Every posted copy of the card shows the change; one refresh per change and place (its key says which).
  // An escalation is not material (the version stays) but changes what the card says: overdue, and whom
  // it went to, so the place the ticket was born sees that as well.
  if (before && events.some((e) => isMaterial(e) || e.type === "escalated")) {
    for (const placement of after.placements) {
      const recipient = placeRecipient(placement);
      out.push({
        key: `${after.number}:${after.seq}:card_update:${recipient}`,
        kind: "card_update",
        recipient,
        ticket: after.number,
        payload: { placement, version: after.version },
      });
    }
  }
  return out;
}
