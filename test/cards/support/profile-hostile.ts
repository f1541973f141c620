import type { CardContext } from "../../../cards/model/context.ts";
import { type Card, ticketCard, weeklyReviewCard } from "../../../cards/model/index.ts";
import { SAMPLE_REVIEW } from "../../../cards/preview/profile-cases.ts";
import type { TicketView } from "../../../core/ticket/view.ts";

/**
 * The customer-history line and the weekly review built from hostile text: custom tags on the ticket, and
 * every free-text slot of a review (as if core had not masked or shortened anything).
 */
export function profileHostileCards(text: string, ctx: CardContext, view: TicketView): Card[] {
  const withHistory: TicketView = {
    ...view,
    customer: {
      ...view.customer,
      tags: ["vip", text.slice(0, 32), text],
      history: { tickets: 2, open: 1, complaints: 1, surveys: 1, averageScore: 2, lowScores: 1 },
    },
  };
  const ref = { number: "CS2026110099", headline: text };
  const review = {
    ...SAMPLE_REVIEW,
    department: text.slice(0, 100),
    breaches: { count: 1, tickets: [ref] },
    topProblems: [{ key: text, problemType: text.slice(0, 60), count: 2, examples: [ref, ref] }],
    lowScores: {
      count: 1,
      tickets: [
        {
          ...ref,
          at: SAMPLE_REVIEW.asOf,
          resolutionScore: 1,
          attitudeScore: 1,
          suggestion: text,
          remedy: "done" as const,
          note: text,
          solution: text,
        },
      ],
    },
  };
  return [ticketCard(withHistory, ctx), weeklyReviewCard(review, ctx)];
}
