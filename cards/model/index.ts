export {
  CARD_ACTIONS,
  type CallbackValue,
  type CardAction,
  callbackValueSchema,
  inboundCallbackSchema,
} from "./actions.ts";
export type { BusinessTime, CardContext } from "./context.ts";
export { digestCard } from "./digest-card.ts";
export { followUpConfirmCard, followUpSurveyCard } from "./follow-up-card.ts";
export { type KbAnswer, kbAnswerCard, kbAnswerOf } from "./kb-answer-card.ts";
export { type NewTicketDraft, newTicketCard } from "./new-ticket-card.ts";
export { nudgeCard } from "./nudge-card.ts";
export { type OverdueAlert, overdueCard } from "./overdue-card.ts";
export { type ReviewCardOptions, weeklyReviewCard } from "./review-card.ts";
export { type SlaState, type SlaTarget, slaOf } from "./sla.ts";
export { ticketCard } from "./ticket-card.ts";
export type * from "./types.ts";
