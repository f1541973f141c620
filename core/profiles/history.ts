import type { TicketRecord } from "../ports.ts";
import type { CustomerHistory } from "../ticket/customer-history.ts";

const COMPLAINTS: ReadonlySet<string> = new Set(["quality_complaint", "service_complaint"]);

/** How many earlier tickets are read to summarise a history; older ones count only in the total. */
export const HISTORY_READ = 20;

/**
 * A customer's history from their profile's ticket total and the earlier tickets read (pure). `total` is
 * the profile's count of earlier tickets; the other figures cover the tickets given.
 */
export function summariseHistory(
  profileId: string | undefined,
  total: number,
  earlier: readonly TicketRecord[],
  lowScore: number,
): CustomerHistory {
  let open = 0;
  let complaints = 0;
  let surveys = 0;
  let scoreSum = 0;
  let lowScores = 0;
  let last: { number: string; at: string } | undefined;
  for (const { state: s } of earlier) {
    if (s.status !== "resolved") open += 1;
    if (COMPLAINTS.has(s.problemType)) complaints += 1;
    if (s.survey) {
      surveys += 1;
      scoreSum += s.survey.resolutionScore + s.survey.attitudeScore;
      if (Math.min(s.survey.resolutionScore, s.survey.attitudeScore) < lowScore) lowScores += 1;
    }
    if (!last || s.createdAt > last.at) last = { number: s.number, at: s.createdAt };
  }
  return {
    ...(profileId ? { profileId } : {}),
    tickets: Math.max(total, earlier.length),
    open,
    complaints,
    surveys,
    ...(surveys > 0 ? { averageScore: Math.round((scoreSum / (2 * surveys)) * 10) / 10 } : {}),
    lowScores,
    ...(last ? { lastTicket: last } : {}),
  };
}

/** A first contact: nothing before. */
export const FIRST_CONTACT: CustomerHistory = {
  tickets: 0,
  open: 0,
  complaints: 0,
  surveys: 0,
  lowScores: 0,
};
