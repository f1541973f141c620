/**
 * The customer's history as it stood when a ticket came in, kept on the ticket so every card shows it
 * without another read (core/customer computes it from the customer's profile and earlier tickets).
 */
export interface CustomerHistory {
  /** The profile the ticket was matched to; absent for a first contact (the profile is made afterwards). */
  readonly profileId?: string;
  /** Earlier tickets, this one not counted. */
  readonly tickets: number;
  /** Of those, still open. */
  readonly open: number;
  /** Of those, quality or service complaints. */
  readonly complaints: number;
  readonly surveys: number;
  /** Mean of both survey scores (1-5, one decimal) over those surveys. */
  readonly averageScore?: number;
  /** Surveys with a score below the low-score threshold. */
  readonly lowScores: number;
  readonly lastTicket?: { readonly number: string; readonly at: string };
}
