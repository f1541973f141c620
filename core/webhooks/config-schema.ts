import { z } from "zod";
import { webhookEventsSchema, webhookUrlSchema } from "./subscription.ts";

/** A subscription in the config file; its secret comes from the environment variable it names. */
const configSubscriptionSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^(?!wh_)[a-z0-9][a-z0-9_-]{0,47}$/,
        "expected 1-48 lower-case letters, digits, _ or - (not wh_…)",
      ),
    url: webhookUrlSchema,
    events: webhookEventsSchema.default(["*"]),
    secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, "expected an environment variable name"),
    active: z.boolean().default(true),
    description: z.string().trim().max(200).optional(),
  })
  .strict();

/** `webhooks:` in the config file. */
export const webhookConfigSchema = z
  .object({
    /** Whether ticket events are queued for webhooks at all. Default: on when subscriptions are listed. */
    enabled: z.boolean().optional(),
    /** How long one delivery may take before it counts as failed and is retried. */
    timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
    /** Bodies larger than this are sent with their free text cut short (`data.truncated: true`). */
    maxPayloadBytes: z.number().int().min(2048).max(1_048_576).default(65_536),
    subscriptions: z
      .array(configSubscriptionSchema)
      .max(50)
      .default([])
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        for (const [i, s] of list.entries()) {
          if (seen.has(s.id))
            ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate id "${s.id}"` });
          seen.add(s.id);
        }
      }),
  })
  .strict();

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export const webhooksEnabled = (c: WebhookConfig): boolean => c.enabled ?? c.subscriptions.length > 0;
