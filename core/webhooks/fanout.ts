import type { DeliveryOutcome, OutboxIntent, OutboxItem, TicketStore } from "../ports.ts";
import { WEBHOOK_KIND, webhookRecipient } from "./delivery.ts";
import { fannedEvent } from "./fanout-intents.ts";
import type { WebhookRegistry } from "./registry.ts";
import { wantsEvent } from "./subscription.ts";

/**
 * Turns each queued event into one outbox row per active subscription that wants it. The rows' keys name the
 * subscription and the event, so fanning the same event out again (a crash before this row was settled) adds
 * nothing; they also start with the event row's creation time, so a subscription's rows keep the events' order
 * even when several are written within the same millisecond.
 */
export class WebhookFanout {
  readonly #registry: Pick<WebhookRegistry, "list">;
  readonly #store: Pick<TicketStore, "enqueue">;

  constructor(deps: {
    readonly registry: Pick<WebhookRegistry, "list">;
    readonly store: Pick<TicketStore, "enqueue">;
  }) {
    this.#registry = deps.registry;
    this.#store = deps.store;
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const subscriptions = (await this.#registry.list()).filter((s) => s.active);
    const rows: OutboxIntent[] = [];
    for (const item of items) {
      const event = fannedEvent(item.payload);
      if (!event) continue;
      for (const s of subscriptions) {
        if (!wantsEvent(s, event.type)) continue;
        rows.push({
          key: `webhook:${s.id}:${item.createdAt}:${event.id}`,
          kind: WEBHOOK_KIND,
          recipient: webhookRecipient(s.id),
          ticket: item.ticket,
          payload: { event },
        });
      }
    }
    if (rows.length > 0) await this.#store.enqueue(rows);
    return { ok: true };
  }
}
