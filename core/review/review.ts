import type { TicketRecord } from "../ports.ts";
import { scanPhones } from "../privacy/detect.ts";
import { breached, computeStats, DEFAULT_TARGETS } from "../stats/stats.ts";
import type { TicketState } from "../ticket/state.ts";
import type { WeekRange } from "./week.ts";

/** Lists on the review are cut to this many entries; their counts stay whole. */
export const REVIEW_LIST_MAX = 10;
const HEADLINE_MAX = 40;
const NOTE_MAX = 120;

/** Share of tickets that met their own SLA deadline, among those whose outcome is known. */
export interface TargetShare {
  readonly met: number;
  readonly missed: number;
  readonly rate: number | null;
}

export interface ReviewTicketRef {
  readonly number: string;
  readonly headline: string;
}

export interface LowScoreTicket extends ReviewTicketRef {
  readonly at: string;
  readonly resolutionScore: number;
  readonly attitudeScore: number;
  readonly suggestion?: string;
  /** What was done: the remedy task's state and note, and the ticket's solution. */
  readonly remedy: "none" | "open" | "done";
  readonly note?: string;
  readonly solution?: string;
}

/** One department's week, as its head reads it on Monday. Plain data: it travels in an outbox row. */
export interface WeeklyReview {
  readonly department: string;
  readonly week: string;
  readonly from: string;
  readonly to: string;
  /** Outcomes (breaches, deadlines met) as known at this instant. */
  readonly asOf: string;
  readonly total: number;
  readonly byProblemType: readonly { readonly problemType: string; readonly count: number }[];
  readonly firstResponse: TargetShare & { readonly medianMs: number | null; readonly p90Ms: number | null };
  readonly resolution: TargetShare & {
    readonly resolved: number;
    readonly resolvedRate: number | null;
    readonly resolvedTarget: number;
    readonly medianMs: number | null;
    readonly p90Ms: number | null;
  };
  readonly breaches: { readonly count: number; readonly tickets: readonly ReviewTicketRef[] };
  readonly satisfaction: {
    readonly surveys: number;
    /** Both scores on a 100-point scale (5 = 100), one decimal. */
    readonly points: number | null;
    readonly target: number;
    readonly resolutionScore: number | null;
    readonly attitudeScore: number | null;
  };
  readonly topProblems: readonly {
    readonly key: string;
    readonly problemType: string;
    readonly count: number;
    readonly examples: readonly ReviewTicketRef[];
  }[];
  readonly lowScores: { readonly count: number; readonly tickets: readonly LowScoreTicket[] };
}

export interface ReviewOptions {
  readonly department: string;
  readonly range: WeekRange;
  readonly now: Date;
  readonly timeZone: string;
  readonly businessMs: (t: TicketState, from: Date, to: Date) => number;
  /** A survey score below this is low (sla.followUp.lowScore). */
  readonly lowScore: number;
}

/** Free text for a review: one line, phones masked (again: the store has them masked already), cut short. */
function line(text: string, max: number): string {
  const flat = scanPhones(text).text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const ref = (s: TicketState): ReviewTicketRef => ({
  number: s.number,
  headline: line(s.description, HEADLINE_MAX),
});

const share = (met: number, missed: number): TargetShare => ({
  met,
  missed,
  rate: met + missed > 0 ? Math.round((met / (met + missed)) * 10_000) / 10_000 : null,
});

/** Met, missed, or not known yet: a deadline still ahead with nothing done is neither. */
function outcome(
  doneAt: string | undefined,
  due: string | undefined,
  now: number,
): "met" | "missed" | undefined {
  if (due === undefined) return undefined;
  if (doneAt !== undefined) return doneAt <= due ? "met" : "missed";
  return Date.parse(due) < now ? "missed" : undefined;
}

const avg = (sum: number, n: number, digits: number) =>
  n === 0 ? null : Math.round((sum / n) * 10 ** digits) / 10 ** digits;

/**
 * The weekly review of a department (pure): tickets created in the week by problem type, first response and
 * resolution against each ticket's own deadline, breaches, the surveys recorded in the week, the three
 * most frequent problems with example tickets, and the low-score tickets with what was done about them.
 * Volume, durations and top problems come from core/stats, computed over the week's tickets.
 */
export function computeWeeklyReview(records: readonly TicketRecord[], o: ReviewOptions): WeeklyReview {
  const start = o.range.start.getTime();
  const end = o.range.end.getTime();
  const now = o.now.getTime();
  const mine = records.filter((r) => r.state.department === o.department);
  const inWeek = (iso: string | undefined) => {
    const at = iso === undefined ? Number.NaN : Date.parse(iso);
    return at >= start && at < end;
  };
  const created = mine.filter((r) => inWeek(r.state.createdAt));
  const stats = computeStats(created, {
    now: o.now,
    // Enough weeks back from `now` to hold the whole reviewed week, whatever week is asked for.
    weeks: Math.ceil((now - start) / (7 * 86_400_000)) + 1,
    timeZone: o.timeZone,
    businessMs: o.businessMs,
  });

  let frMet = 0;
  let frMissed = 0;
  let resMet = 0;
  let resMissed = 0;
  const breachedTickets: TicketState[] = [];
  for (const r of created) {
    const s = r.state;
    const fr = outcome(s.firstResponseAt, s.due.firstResponse, now);
    if (fr === "met") frMet += 1;
    if (fr === "missed") frMissed += 1;
    const res = outcome(s.status === "resolved" ? s.resolvedAt : undefined, s.due.resolution, now);
    if (res === "met") resMet += 1;
    if (res === "missed") resMissed += 1;
    if (breached(r, now)) breachedTickets.push(s);
  }

  const surveyed = mine
    .map((r) => r.state)
    .filter((s) => s.survey && inWeek(s.survey.at))
    .sort((a, b) => a.survey!.at.localeCompare(b.survey!.at) || a.number.localeCompare(b.number));
  let resolutionSum = 0;
  let attitudeSum = 0;
  for (const s of surveyed) {
    resolutionSum += s.survey!.resolutionScore;
    attitudeSum += s.survey!.attitudeScore;
  }
  const low = surveyed.filter(
    (s) => Math.min(s.survey!.resolutionScore, s.survey!.attitudeScore) < o.lowScore,
  );
  const byNumber = new Map(created.map((r) => [r.state.number, r.state]));

  return {
    department: o.department,
    week: o.range.week,
    from: o.range.start.toISOString(),
    to: o.range.end.toISOString(),
    asOf: o.now.toISOString(),
    total: created.length,
    byProblemType: stats.byProblemType,
    firstResponse: {
      ...share(frMet, frMissed),
      medianMs: stats.firstResponse.medianMs,
      p90Ms: stats.firstResponse.p90Ms,
    },
    resolution: {
      ...share(resMet, resMissed),
      resolved: stats.resolutionRate.resolved,
      resolvedRate: stats.resolutionRate.rate,
      resolvedTarget: stats.resolutionRate.target,
      medianMs: stats.resolution.medianMs,
      p90Ms: stats.resolution.p90Ms,
    },
    breaches: {
      count: breachedTickets.length,
      tickets: breachedTickets
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .slice(0, REVIEW_LIST_MAX)
        .map(ref),
    },
    satisfaction: {
      surveys: surveyed.length,
      points: surveyed.length
        ? Math.round(((resolutionSum + attitudeSum) / (2 * surveyed.length)) * 20 * 10) / 10
        : null,
      target: DEFAULT_TARGETS.satisfactionPoints,
      resolutionScore: avg(resolutionSum, surveyed.length, 2),
      attitudeScore: avg(attitudeSum, surveyed.length, 2),
    },
    topProblems: stats.topProblems.map((p) => ({
      key: line(p.key, HEADLINE_MAX),
      problemType: p.problemType,
      count: p.count,
      examples: p.examples
        .map((n) => byNumber.get(n))
        .filter((s) => s !== undefined)
        .map(ref),
    })),
    lowScores: {
      count: low.length,
      tickets: low.slice(0, REVIEW_LIST_MAX).map((s) => ({
        ...ref(s),
        at: s.survey!.at,
        resolutionScore: s.survey!.resolutionScore,
        attitudeScore: s.survey!.attitudeScore,
        ...(s.survey!.suggestion ? { suggestion: line(s.survey!.suggestion, NOTE_MAX) } : {}),
        remedy: s.remedy ? (s.remedy.doneAt ? "done" : "open") : "none",
        ...(s.remedy?.note ? { note: line(s.remedy.note, NOTE_MAX) } : {}),
        ...(s.solution ? { solution: line(s.solution, NOTE_MAX) } : {}),
      })),
    },
  };
}

/** Nothing happened in the department that week: no review is sent. */
export const isEmptyReview = (r: WeeklyReview): boolean => r.total === 0 && r.satisfaction.surveys === 0;
