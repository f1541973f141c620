import type { OutboxIntent } from "../ports.ts";
import type { TicketEvent } from "../ticket/events.ts";
import type { TicketState } from "../ticket/state.ts";
import { type WebhookEvent, webhookEventsOf } from "./event.ts";

/** The outbox recipient of events waiting to be fanned out to the subscriptions. */
export const WEBHOOK_FANOUT = "webhooks";
export const WEBHOOK_EVENT_KIND = "webhook_event";

/**
 * One outbox row per webhook event, written with the ticket change that caused it. Which subscriptions get it
 * is decided when it is fanned out (see fanout.ts), so a subscription added or changed at run time, on any
 * instance, applies from then on without a cache to keep fresh.
 */
export function planWebhookFanout(
  before: TicketState | undefined,
  events: readonly TicketEvent[],
): OutboxIntent[] {
  return webhookEventsOf(before, events).map((event) => ({
    key: `webhook-event:${event.id}`,
    kind: WEBHOOK_EVENT_KIND,
    recipient: WEBHOOK_FANOUT,
    ticket: event.ticket.number,
    payload: { event },
  }));
}

export const fannedEvent = (payload: Readonly<Record<string, unknown>>): WebhookEvent | undefined => {
  const event = payload.event as WebhookEvent | undefined;
  return event && typeof event.id === "string" && typeof event.type === "string" ? event : undefined;
};
