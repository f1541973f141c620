import { z } from "zod";
import { PRIORITIES } from "../ticket/schema.ts";
import { calendarConfigSchema } from "./calendar-schema.ts";
import { durationStringSchema } from "./duration.ts";

/** Days count whole working days; hours, minutes and seconds count business time. */
const policySchema = z
  .object({
    firstResponse: durationStringSchema,
    update: durationStringSchema,
    resolution: durationStringSchema,
  })
  .strict();
const partialPolicySchema = policySchema.partial();

export const DEFAULT_POLICIES = {
  urgent: { firstResponse: "PT2H", update: "P1D", resolution: "P1D" },
  normal: { firstResponse: "P1D", update: "P1D", resolution: "P3D" },
  low: { firstResponse: "P2D", update: "P1D", resolution: "P7D" },
} as const;

const policiesSchema = z
  .object({
    urgent: policySchema.default(DEFAULT_POLICIES.urgent),
    normal: policySchema.default(DEFAULT_POLICIES.normal),
    low: policySchema.default(DEFAULT_POLICIES.low),
  })
  .strict();

const departmentOverrideSchema = z
  .object({
    policies: z.partialRecord(z.enum(PRIORITIES), partialPolicySchema).optional(),
    calendar: calendarConfigSchema.optional(),
  })
  .strict();

/** The `sla` config section. */
export const slaConfigSchema = z
  .object({
    policies: policiesSchema.default({
      urgent: DEFAULT_POLICIES.urgent,
      normal: DEFAULT_POLICIES.normal,
      low: DEFAULT_POLICIES.low,
    }),
    departments: z.record(z.string(), departmentOverrideSchema).default({}),
    calendar: calendarConfigSchema,
    /** Urgent tickets run on elapsed time, nights and holidays included. */
    urgent24x7: z.boolean().default(false),
    escalation: z
      .object({
        warnAt: z.number().gt(0).lt(1).default(0.8),
        /** Still overdue this long after the previous level: the next level. Default: the target again. */
        repeatAfter: durationStringSchema.optional(),
        /** Who is asked when the department chain runs out (a person id). */
        supervisor: z.string().min(1).optional(),
        maxLevel: z.number().int().min(1).max(5).default(3),
      })
      .strict()
      .default({ warnAt: 0.8, maxLevel: 3 }),
    followUp: z
      .object({
        surveyWithin: durationStringSchema.default("P3D"),
        remedyWithin: durationStringSchema.default("PT24H"),
        lowScore: z.number().int().min(1).max(5).default(3),
      })
      .strict()
      .default({ surveyWithin: "P3D", remedyWithin: "PT24H", lowScore: 3 }),
  })
  .strict();

export type SlaConfig = z.output<typeof slaConfigSchema>;
export type SlaPolicy = z.output<typeof policySchema>;
