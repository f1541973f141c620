import type { DeliveryOutcome, NotificationSink, OutboxItem } from "../ports.ts";
import { WEBHOOK_KIND, WEBHOOK_RECIPIENT_PREFIX, type WebhookDeliverer } from "./delivery.ts";
import type { WebhookFanout } from "./fanout.ts";
import { WEBHOOK_EVENT_KIND, WEBHOOK_FANOUT } from "./fanout-intents.ts";

const all = (items: readonly OutboxItem[], kind: string) =>
  items.length > 0 && items.every((i) => i.kind === kind);

/**
 * The dispatcher's sink with webhooks beside the people: event rows go to the fan-out, subscription rows to the
 * deliverer (told apart by recipient and kind, so no person's id can be mistaken for one), the rest inward.
 */
export class WebhookAwareSink implements NotificationSink {
  readonly #inner: NotificationSink;
  readonly #fanout: WebhookFanout;
  readonly #deliverer: WebhookDeliverer;

  constructor(inner: NotificationSink, fanout: WebhookFanout, deliverer: WebhookDeliverer) {
    this.#inner = inner;
    this.#fanout = fanout;
    this.#deliverer = deliverer;
  }

  deliver(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    if (recipient === WEBHOOK_FANOUT && all(items, WEBHOOK_EVENT_KIND)) return this.#fanout.deliver(items);
    if (recipient.startsWith(WEBHOOK_RECIPIENT_PREFIX) && all(items, WEBHOOK_KIND))
      return this.#deliverer.deliver(recipient, items);
    return this.#inner.deliver(recipient, items);
  }

  groupOf(recipient: string, items: readonly OutboxItem[]): string {
    if (recipient === WEBHOOK_FANOUT || recipient.startsWith(WEBHOOK_RECIPIENT_PREFIX)) return "webhooks";
    return this.#inner.groupOf?.(recipient, items) ?? "";
  }
}
