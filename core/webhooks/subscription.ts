import { z } from "zod";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./event.ts";

export const MAX_SUBSCRIPTIONS = 50;

/**
 * An operator's URL: http or https only (no file:, no javascript:), no user:password in it (it would end up in
 * logs), no fragment, at most 2000 characters.
 */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .superRefine((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: "custom", message: "not a URL" });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      ctx.addIssue({ code: "custom", message: `only http and https URLs, not ${url.protocol}` });
    if (url.username || url.password)
      ctx.addIssue({ code: "custom", message: "no user name or password in the URL" });
    if (url.hash) ctx.addIssue({ code: "custom", message: "no #fragment in the URL" });
  });

export const webhookEventsSchema = z
  .array(z.enum(["*", ...WEBHOOK_EVENT_TYPES]))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .transform((list) => [...new Set(list)]);

const description = z.string().trim().max(200);

/** POST /api/v1/webhooks */
export const createSubscriptionSchema = z
  .object({
    url: webhookUrlSchema,
    events: webhookEventsSchema.default(["*"]),
    description: description.optional(),
    active: z.boolean().default(true),
  })
  .strict();

/** PATCH /api/v1/webhooks/:id */
export const patchSubscriptionSchema = z
  .object({
    url: webhookUrlSchema.optional(),
    events: webhookEventsSchema.optional(),
    description: description.optional(),
    active: z.boolean().optional(),
  })
  .strict();

/** A subscription as delivery sees it: the secret in clear (config: from the environment; API: decrypted). */
export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  readonly events: readonly ("*" | WebhookEventType)[];
  readonly active: boolean;
  readonly description?: string;
  readonly secret: string;
  /** Where it is defined: the config file (read-only here) or the admin API. */
  readonly source: "config" | "api";
  readonly createdAt?: string;
  readonly createdBy?: string;
}

export const wantsEvent = (s: WebhookSubscription, type: WebhookEventType): boolean =>
  s.events.includes("*") || s.events.includes(type);

/** What the admin API shows: everything but the secret (its last four characters, to tell secrets apart). */
export function subscriptionView(s: WebhookSubscription): Record<string, unknown> {
  return {
    id: s.id,
    url: s.url,
    events: s.events,
    active: s.active,
    description: s.description ?? null,
    source: s.source,
    createdAt: s.createdAt ?? null,
    createdBy: s.createdBy ?? null,
    secretHint: `…${s.secret.slice(-4)}`,
  };
}
