import type { TicketRecord } from "../ports.ts";
import type { TicketState } from "../ticket/state.ts";
import { isoWeekOf } from "./week.ts";

/** Service targets from the process documents: first response within 1 h, 90 % resolved, 95 points. */
export const DEFAULT_TARGETS = { firstResponseMs: 3_600_000, resolutionRate: 0.9, satisfactionPoints: 95 };

const HOUR = 3_600_000;
/** Upper bounds of the histogram buckets, in business time; the last bucket is open-ended. */
export const FIRST_RESPONSE_BUCKETS = [0.25 * HOUR, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 24 * HOUR] as const;
export const RESOLUTION_BUCKETS = [2 * HOUR, 8 * HOUR, 24 * HOUR, 72 * HOUR, 168 * HOUR] as const;

export interface StatsOptions {
  readonly now: Date;
  /** Tickets created in this many weeks up to `now` are counted. */
  readonly weeks: number;
  readonly timeZone: string;
  /** Business time between two instants on the ticket's own calendar. */
  readonly businessMs: (t: TicketState, from: Date, to: Date) => number;
  readonly targets?: typeof DEFAULT_TARGETS;
}

export interface Distribution {
  /** Bucket upper bounds in ms; `null` is the open-ended last bucket. */
  readonly buckets: readonly { readonly upToMs: number | null; readonly count: number }[];
  readonly count: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
  /** Share answered within the target (first response only). */
  readonly withinTarget?: number | null;
}

export interface Stats {
  readonly from: string;
  readonly to: string;
  readonly total: number;
  readonly byProblemType: readonly { readonly problemType: string; readonly count: number }[];
  readonly firstResponse: Distribution & { readonly targetMs: number };
  readonly resolution: Distribution;
  readonly resolutionRate: {
    readonly resolved: number;
    readonly total: number;
    readonly rate: number | null;
    readonly target: number;
  };
  readonly slaBreachByDepartment: readonly {
    readonly department: string;
    readonly total: number;
    readonly breached: number;
    readonly rate: number;
  }[];
  readonly satisfactionByWeek: readonly {
    readonly week: string;
    readonly surveys: number;
    readonly resolutionScore: number | null;
    readonly attitudeScore: number | null;
    /** Both scores on a 100-point scale (5 = 100). */
    readonly points: number | null;
  }[];
  readonly satisfactionTarget: number;
  readonly topProblems: readonly {
    readonly key: string;
    readonly problemType: string;
    readonly count: number;
    readonly examples: readonly string[];
  }[];
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export function distribution(values: readonly number[], bounds: readonly number[]): Distribution {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const v of values) {
    const i = bounds.findIndex((b) => v <= b);
    counts[i === -1 ? bounds.length : i]! += 1;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return {
    buckets: counts.map((count, i) => ({ upToMs: bounds[i] ?? null, count })),
    count: values.length,
    medianMs: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
  };
}

/** A ticket missed a deadline if an SLA breach stage fired for it or it is open past one now. */
export function breached(r: TicketRecord, now: number): boolean {
  if (r.events.some((e) => e.type === "sla_stage" && e.stage !== "warn")) return true;
  const s = r.state;
  if (s.status === "resolved") return s.due.resolution !== undefined && s.resolvedAt! > s.due.resolution;
  if (s.firstResponseAt === undefined && s.due.firstResponse && Date.parse(s.due.firstResponse) < now)
    return true;
  return s.due.resolution !== undefined && Date.parse(s.due.resolution) < now;
}

/** What a recurring problem is known by: its tag, else its product, else its type. */
const problemKey = (s: TicketState) => s.problemTag?.trim() || s.product?.trim() || s.problemType;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The review figures of the service process, computed from tickets alone (pure). */
export function computeStats(records: readonly TicketRecord[], opts: StatsOptions): Stats {
  const targets = opts.targets ?? DEFAULT_TARGETS;
  const to = opts.now.getTime();
  const from = to - opts.weeks * 7 * 86_400_000;
  const inRange = records.filter((r) => {
    const at = Date.parse(r.state.createdAt);
    return at >= from && at <= to;
  });

  const types = new Map<string, number>();
  const departments = new Map<string, { total: number; breached: number }>();
  const problems = new Map<string, { problemType: string; count: number; examples: string[] }>();
  const firstResponse: number[] = [];
  const resolution: number[] = [];
  const weeks = new Map<string, { n: number; resolution: number; attitude: number }>();
  let resolved = 0;

  for (const r of inRange) {
    const s = r.state;
    types.set(s.problemType, (types.get(s.problemType) ?? 0) + 1);
    const dep = departments.get(s.department) ?? { total: 0, breached: 0 };
    dep.total += 1;
    if (breached(r, to)) dep.breached += 1;
    departments.set(s.department, dep);
    const key = problemKey(s);
    const p = problems.get(key) ?? { problemType: s.problemType, count: 0, examples: [] };
    p.count += 1;
    if (p.examples.length < 3) p.examples.push(s.number);
    problems.set(key, p);
    const created = new Date(s.createdAt);
    if (s.firstResponseAt) firstResponse.push(opts.businessMs(s, created, new Date(s.firstResponseAt)));
    if (s.status === "resolved" && s.resolvedAt) {
      resolved += 1;
      resolution.push(opts.businessMs(s, created, new Date(s.resolvedAt)));
    }
    if (s.survey) {
      const week = isoWeekOf(new Date(s.survey.at), opts.timeZone);
      const w = weeks.get(week) ?? { n: 0, resolution: 0, attitude: 0 };
      w.n += 1;
      w.resolution += s.survey.resolutionScore;
      w.attitude += s.survey.attitudeScore;
      weeks.set(week, w);
    }
  }

  const fr = distribution(firstResponse, FIRST_RESPONSE_BUCKETS);
  const within = firstResponse.filter((ms) => ms <= targets.firstResponseMs).length;
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    total: inRange.length,
    byProblemType: [...types]
      .map(([problemType, count]) => ({ problemType, count }))
      .sort((a, b) => b.count - a.count || a.problemType.localeCompare(b.problemType)),
    firstResponse: {
      ...fr,
      withinTarget: firstResponse.length ? round(within / firstResponse.length, 4) : null,
      targetMs: targets.firstResponseMs,
    },
    resolution: distribution(resolution, RESOLUTION_BUCKETS),
    resolutionRate: {
      resolved,
      total: inRange.length,
      rate: inRange.length ? round(resolved / inRange.length, 4) : null,
      target: targets.resolutionRate,
    },
    slaBreachByDepartment: [...departments]
      .map(([department, d]) => ({ department, ...d, rate: round(d.breached / d.total, 4) }))
      .sort((a, b) => b.rate - a.rate || a.department.localeCompare(b.department)),
    satisfactionByWeek: [...weeks]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([week, w]) => ({
        week,
        surveys: w.n,
        resolutionScore: round(w.resolution / w.n),
        attitudeScore: round(w.attitude / w.n),
        points: round(((w.resolution + w.attitude) / (2 * w.n)) * 20, 1),
      })),
    satisfactionTarget: targets.satisfactionPoints,
    topProblems: [...problems]
      .filter(([, p]) => p.count > 1)
      .map(([key, p]) => ({ key, ...p }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
      .slice(0, 3),
  };
}
