import { z } from "zod";
import { durationStringSchema } from "../sla/duration.ts";

/** The `customerLinks` config section: the public status and survey pages. */
export const customerLinksConfigSchema = z
  .object({
    /**
     * The origin customers reach this server at (https://support.example.com), used in the links agents copy.
     * Unset, the origin of the agent's own request is used.
     */
    baseUrl: z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL such as https://support.example.com" })
      .transform((u) => new URL(u).origin)
      .optional(),
    rateLimit: z
      .object({
        /** The window both budgets count in. */
        window: durationStringSchema.default("PT10M"),
        /** Requests per client address per window, to any public page. */
        requests: z.number().int().min(1).max(100_000).default(300),
        /** Wrong, unknown or revoked links and codes per client address per window; then every check waits. */
        failures: z.number().int().min(1).max(10_000).default(20),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type CustomerLinksConfig = z.infer<typeof customerLinksConfigSchema>;
