import type { Clock, NotificationSink, OutboxIntent, TicketStore } from "../../core/ports.ts";
import type { FieldCipher } from "../../core/privacy/cipher.ts";
import type { TicketEvent } from "../../core/ticket/events.ts";
import type { TicketState } from "../../core/ticket/state.ts";
import { type WebhookConfig, webhooksEnabled } from "../../core/webhooks/config-schema.ts";
import { WebhookDeliverer } from "../../core/webhooks/delivery.ts";
import { WebhookFanout } from "../../core/webhooks/fanout.ts";
import { planWebhookFanout } from "../../core/webhooks/fanout-intents.ts";
import { WebhookRegistry } from "../../core/webhooks/registry.ts";
import { WebhookAwareSink } from "../../core/webhooks/sink.ts";
import type { WebhookSubscription } from "../../core/webhooks/subscription.ts";
import type { WebhookTransport } from "../../core/webhooks/transport.ts";
import { ConfigError } from "../config/load.ts";
import { HttpWebhookTransport } from "./http-transport.ts";

export interface Webhooks {
  /** webhooks.enabled (default: on when the config lists subscriptions). */
  readonly enabled: boolean;
  readonly registry: WebhookRegistry;
  /** The fan-out rows a ticket change writes with it (none while webhooks are off). */
  plan(before: TicketState | undefined, events: readonly TicketEvent[]): OutboxIntent[];
  /** The dispatcher's sink with webhook rows handled beside the people's. */
  sink(inner: NotificationSink): NotificationSink;
}

/** Config subscriptions with their secrets read from the environment; a missing one is a config error. */
function configSubscriptions(config: WebhookConfig, env: NodeJS.ProcessEnv): WebhookSubscription[] {
  return config.subscriptions.map((s, i) => {
    const secret = env[s.secretEnv]?.trim();
    if (!secret || secret.length < 16)
      throw new ConfigError(
        `webhooks.subscriptions.${i}.secretEnv: environment variable ${s.secretEnv} must hold a secret of at least 16 characters`,
      );
    return {
      id: s.id,
      url: s.url,
      events: s.events,
      active: s.active,
      ...(s.description ? { description: s.description } : {}),
      secret,
      source: "config" as const,
    };
  });
}

export function createWebhooks(deps: {
  readonly config: WebhookConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly store: TicketStore;
  readonly cipher: FieldCipher;
  readonly clock: Clock;
  readonly transport?: WebhookTransport;
}): Webhooks {
  const enabled = webhooksEnabled(deps.config);
  const registry = new WebhookRegistry({
    store: deps.store,
    cipher: deps.cipher,
    clock: deps.clock,
    fromConfig: configSubscriptions(deps.config, deps.env),
  });
  const fanout = new WebhookFanout({ registry, store: deps.store });
  const deliverer = new WebhookDeliverer({
    registry,
    transport: deps.transport ?? new HttpWebhookTransport(),
    clock: deps.clock,
    options: { timeoutMs: deps.config.timeoutMs, maxPayloadBytes: deps.config.maxPayloadBytes },
  });
  return {
    enabled,
    registry,
    plan: (before, events) => (enabled ? planWebhookFanout(before, events) : []),
    // Rows already queued still go out after webhooks are switched off: they were acknowledged.
    sink: (inner) => new WebhookAwareSink(inner, fanout, deliverer),
  };
}
