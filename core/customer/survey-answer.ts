import { z } from "zod";

/** What a customer may send on the survey page; the same bounds the agent's survey command has, or tighter. */
export const SUGGESTION_MAX = 1000;

const score = z.coerce
  .number({ error: "choose a score from 1 to 5" })
  .int("choose a score from 1 to 5")
  .min(1, "choose a score from 1 to 5")
  .max(5, "choose a score from 1 to 5");

export const surveyAnswerSchema = z
  .object({
    resolutionScore: score,
    attitudeScore: score,
    suggestion: z
      .string()
      .trim()
      .max(SUGGESTION_MAX, `at most ${SUGGESTION_MAX} characters`)
      .optional()
      .transform((s) => s || undefined),
  })
  .strict();

export type SurveyAnswer = z.infer<typeof surveyAnswerSchema>;
