import { z } from "zod";
import { customerLinksConfigSchema } from "../customer/config.ts";
import { directorySchema } from "../directory/schema.ts";
import { LOCALES } from "../i18n/locale.ts";
import { reviewConfigSchema } from "../review/schema.ts";
import { routingConfigSchema } from "../routing/rules-schema.ts";
import { slaConfigSchema } from "../sla/sla-schema.ts";
import { webhookConfigSchema } from "../webhooks/config-schema.ts";

const isoDuration = z
  .string()
  .regex(
    /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
    'expected an ISO-8601 duration such as "PT30M"',
  );

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "expected an IANA time zone such as Asia/Shanghai");

/** The one validated configuration file (closeloop.config.json or .yaml). Secrets come from the environment. */
export const configSchema = z
  .object({
    numberPrefix: z
      .string()
      .regex(/^[A-Z]{1,8}$/, "expected 1-8 capital letters")
      .default("CS"),
    timezone: timeZone.default("Asia/Shanghai"),
    locale: z.enum(LOCALES).default("zh-CN"),
    defaultDepartment: z.string().min(1).optional(),
    directory: directorySchema.optional(),
    nudge: z
      .object({
        window: isoDuration.default("PT30M"),
        /** Also ring the platform's urgent channel (Feishu buzz, DingTalk DING) where enabled. */
        urgent: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    notify: z
      .object({
        digestWindow: isoDuration.default("PT2M"),
        /** A platform call unanswered this long counts as a failed attempt (retried later, same key). */
        deliveryTimeout: isoDuration.default("PT30S"),
        /** People (and chats) delivered to at the same time; the platforms' own rate limits still pace the calls. */
        concurrency: z.number().int().min(1).max(256).default(32),
      })
      .strict()
      .prefault({}),
    storage: z
      .object({ archiveAfter: isoDuration.default("P30D") })
      .strict()
      .prefault({}),
    knowledge: z
      .object({
        /** Articles not reviewed for longer than this are flagged on the board and in suggestions. */
        staleAfterDays: z.number().int().min(1).max(3650).default(180),
      })
      .strict()
      .prefault({}),
    server: z
      .object({ bodyLimit: z.number().int().min(1024).max(10_485_760).default(65_536) })
      .strict()
      .prefault({}),
    review: reviewConfigSchema.prefault({}),
    sla: slaConfigSchema.prefault({}),
    routing: routingConfigSchema,
    customerLinks: customerLinksConfigSchema.prefault({}),
    /** Outbound webhooks (issue 10): see docs/webhooks.md. */
    webhooks: webhookConfigSchema.prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
