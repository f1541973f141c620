import { z } from "zod";
import type { WeeklyReview } from "./review.ts";

const text = (max: number) => z.string().max(max);
const count = z.number().int().min(0);
const ms = z.number().min(0).nullable();
const rate = z.number().min(0).max(1).nullable();
const ref = z.object({ number: text(64), headline: text(200) }).strict();

/**
 * A review as an outbox row carries it. Rows are written by this code, but they sit in storage between
 * writing and delivery, so an adapter parses them before building a card (a damaged row fails for good).
 */
export const weeklyReviewSchema = z
  .object({
    department: text(100),
    week: z.string().regex(/^\d{4}-W\d{2}$/),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    asOf: z.iso.datetime(),
    total: count,
    byProblemType: z.array(z.object({ problemType: text(200), count }).strict()).max(50),
    firstResponse: z.object({ met: count, missed: count, rate, medianMs: ms, p90Ms: ms }).strict(),
    resolution: z
      .object({
        met: count,
        missed: count,
        rate,
        resolved: count,
        resolvedRate: rate,
        resolvedTarget: z.number().min(0).max(1),
        medianMs: ms,
        p90Ms: ms,
      })
      .strict(),
    breaches: z.object({ count, tickets: z.array(ref).max(50) }).strict(),
    satisfaction: z
      .object({
        surveys: count,
        points: z.number().min(0).max(100).nullable(),
        target: z.number().min(0).max(100),
        resolutionScore: z.number().min(1).max(5).nullable(),
        attitudeScore: z.number().min(1).max(5).nullable(),
      })
      .strict(),
    topProblems: z
      .array(
        z.object({ key: text(200), problemType: text(200), count, examples: z.array(ref).max(10) }).strict(),
      )
      .max(10),
    lowScores: z
      .object({
        count,
        tickets: z
          .array(
            ref
              .extend({
                at: z.iso.datetime(),
                resolutionScore: z.number().int().min(1).max(5),
                attitudeScore: z.number().int().min(1).max(5),
                suggestion: text(500).optional(),
                remedy: z.enum(["none", "open", "done"]),
                note: text(500).optional(),
                solution: text(500).optional(),
              })
              .strict(),
          )
          .max(50),
      })
      .strict(),
  })
  .strict();

/** The review in an outbox row's payload, or undefined when the row does not hold one. */
export function reviewOfPayload(payload: Readonly<Record<string, unknown>>): WeeklyReview | undefined {
  const parsed = weeklyReviewSchema.safeParse(payload.review);
  return parsed.success ? parsed.data : undefined;
}
