import { z } from "zod";
import { WEEKDAYS } from "./week.ts";

/**
 * `review.weekly`: when each department head gets the review of the week before, in the business calendar's
 * time zone (`sla.calendar.timezone`; `timezone` when the calendar is "24x7").
 */
export const reviewConfigSchema = z
  .object({
    weekly: z
      .object({
        enabled: z.boolean().default(true),
        day: z.enum(WEEKDAYS).default("mon"),
        at: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time "HH:MM" such as "09:00"')
          .default("09:00"),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ReviewConfig = z.output<typeof reviewConfigSchema>;
