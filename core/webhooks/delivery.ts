import type { Clock, DeliveryOutcome, OutboxItem } from "../ports.ts";
import { webhookBody } from "./body.ts";
import { fannedEvent } from "./fanout-intents.ts";
import type { WebhookRegistry } from "./registry.ts";
import { signWebhook, WEBHOOK_HEADERS } from "./signature.ts";
import type { WebhookResponse, WebhookTransport } from "./transport.ts";

/** Outbox rows for one subscription: kind `webhook`, recipient `webhook:<subscription id>`. */
export const WEBHOOK_KIND = "webhook";
export const WEBHOOK_RECIPIENT_PREFIX = "webhook:";
export const webhookRecipient = (subscription: string): string =>
  `${WEBHOOK_RECIPIENT_PREFIX}${subscription}`;

/** An inactive subscription keeps its queue; its rows are looked at again this often. */
const INACTIVE_RETRY_MS = 60_000;

export interface WebhookDeliveryOptions {
  readonly timeoutMs: number;
  readonly maxPayloadBytes: number;
}

/** What a receiver's answer means for the row: done, try again (when), or no retry can help soon. */
export function outcomeOf(host: string, res: WebhookResponse): DeliveryOutcome {
  if ("error" in res) return { ok: false, error: `POST ${host}: ${res.error}` };
  const { status } = res;
  if (status >= 200 && status < 300) return { ok: true };
  const error = `POST ${host}: HTTP ${status}`;
  if (status === 408 || status === 425 || status === 429 || status >= 500)
    return { ok: false, error, ...(res.retryAfterMs ? { retryAfterMs: res.retryAfterMs } : {}) };
  // A redirect (not followed: the signature is for this URL), a refusal or a gone endpoint: retried only at the
  // slow permanent-failure rate, until someone fixes the receiver or the subscription.
  return {
    ok: false,
    permanent: true,
    error: status < 400 ? `${error} (redirects are not followed)` : error,
  };
}

/**
 * Sends a subscription's rows: each event as a signed JSON POST. The body is the same on every attempt (so is
 * the event id in it and in X-Closeloop-Event-Id); the timestamp and the signature are those of the attempt.
 */
export class WebhookDeliverer {
  readonly #registry: Pick<WebhookRegistry, "get">;
  readonly #transport: WebhookTransport;
  readonly #clock: Clock;
  readonly #o: WebhookDeliveryOptions;

  constructor(deps: {
    readonly registry: Pick<WebhookRegistry, "get">;
    readonly transport: WebhookTransport;
    readonly clock: Clock;
    readonly options: WebhookDeliveryOptions;
  }) {
    this.#registry = deps.registry;
    this.#transport = deps.transport;
    this.#clock = deps.clock;
    this.#o = deps.options;
  }

  async deliver(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const id = recipient.slice(WEBHOOK_RECIPIENT_PREFIX.length);
    const subscription = await this.#registry.get(id);
    // Deleted: its queue went with it.
    if (!subscription) return { ok: true };
    if (!subscription.active)
      return { ok: false, error: `subscription ${id} is inactive`, retryAfterMs: INACTIVE_RETRY_MS };
    const host = new URL(subscription.url).host;
    for (const item of items) {
      const event = fannedEvent(item.payload);
      if (!event) return { ok: false, permanent: true, error: `outbox row ${item.key} carries no event` };
      const body = webhookBody(event, this.#o.maxPayloadBytes);
      const timestamp = Math.floor(this.#clock.now().getTime() / 1000);
      const res = await this.#transport.post({
        url: subscription.url,
        body,
        timeoutMs: this.#o.timeoutMs,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "closeloop-webhooks/1",
          [WEBHOOK_HEADERS.event]: event.type,
          [WEBHOOK_HEADERS.eventId]: event.id,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(subscription.secret, timestamp, body),
          [WEBHOOK_HEADERS.attempt]: String(item.attempts + 1),
        },
      });
      const outcome = outcomeOf(host, res);
      if (!outcome.ok) return outcome;
    }
    return { ok: true };
  }
}
