import type { TicketRecord } from "../../core/ports.ts";
import type { CreatedEvent, TicketEvent } from "../../core/ticket/events.ts";
import { fold } from "../../core/ticket/state.ts";
import { demoCreated } from "../support/directory.ts";

/**
 * A seeded week for the technical-support group: 2026-W47, Monday 2026-11-16 to Sunday 2026-11-22 in Shanghai
 * (2026-11-15T16:00Z to 2026-11-22T16:00Z), reviewed on Monday 2026-11-23 10:00 (02:00Z).
 */
export const W47_REVIEWED_AT = "2026-11-23T02:00:00.000Z";
const H = 3_600_000;
const plus = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * H).toISOString();

interface Spec {
  readonly number: string;
  readonly at: string;
  readonly department?: string;
  readonly problemType?: string;
  readonly product?: string;
  readonly description?: string;
  /** Hours after creation. */
  readonly dueFirst: number;
  readonly dueResolve: number;
  readonly startedAfter?: number;
  readonly resolvedAfter?: number;
  readonly survey?: {
    readonly at: string;
    readonly r: number;
    readonly a: number;
    readonly suggestion?: string;
  };
  readonly remedy?: { readonly at: string; readonly note: string };
}

function ticket(s: Spec): TicketRecord {
  const created: CreatedEvent = demoCreated({
    number: s.number,
    at: s.at,
    department: s.department ?? "tech",
    problemType: s.problemType ?? "quality_complaint",
    owner: "eng-liu",
    description: s.description ?? `${s.product ?? ""} 故障`,
    ...(s.product ? { product: s.product } : {}),
  });
  const events: TicketEvent[] = [
    created,
    {
      at: s.at,
      actor: "system",
      via: "system",
      type: "deadlines_set",
      due: { firstResponse: plus(s.at, s.dueFirst), resolution: plus(s.at, s.dueResolve) },
    },
  ];
  const by = { actor: "eng-liu", via: "api" as const };
  if (s.startedAfter !== undefined) events.push({ ...by, at: plus(s.at, s.startedAfter), type: "started" });
  if (s.resolvedAfter !== undefined)
    events.push({ ...by, at: plus(s.at, s.resolvedAfter), type: "resolved", solution: "更换主板" });
  if (s.survey)
    events.push({
      at: s.survey.at,
      actor: "agent-li",
      via: "api",
      type: "surveyed",
      resolutionScore: s.survey.r,
      attitudeScore: s.survey.a,
      method: "phone",
      ...(s.survey.suggestion ? { suggestion: s.survey.suggestion } : {}),
      remedy: Math.min(s.survey.r, s.survey.a) < 3,
    });
  if (s.remedy)
    events.push({ at: s.remedy.at, actor: "head-tech", via: "api", type: "remedied", note: s.remedy.note });
  return { state: fold(events), events };
}

/**
 * Five tickets created in the week (A-E), one created the Sunday before but surveyed in the week (G), one
 * created just after the week (F) and one of another department (H). The expected figures in
 * review.test.ts are worked out by hand from these lines.
 */
export const SEEDED_WEEK: readonly TicketRecord[] = [
  // A: answered in 30 min, resolved in 8 h (both in time), surveyed 5/5.
  ticket({
    number: "CS2026110001",
    at: "2026-11-16T02:00:00.000Z",
    product: "X200",
    dueFirst: 2,
    dueResolve: 24,
    startedAfter: 0.5,
    resolvedAfter: 8,
    survey: { at: "2026-11-17T03:00:00.000Z", r: 5, a: 5 },
  }),
  // B: answered in 3 h (late), resolved in 28 h (late), surveyed 2/3 (low), remedied.
  ticket({
    number: "CS2026110002",
    at: "2026-11-17T02:00:00.000Z",
    product: "X200",
    dueFirst: 2,
    dueResolve: 24,
    startedAfter: 3,
    resolvedAfter: 28,
    survey: { at: "2026-11-19T02:00:00.000Z", r: 2, a: 3, suggestion: "希望第一次就修好，回电 13800138000" },
    remedy: { at: "2026-11-19T08:00:00.000Z", note: "上门更换整机并赠送配件" },
  }),
  // C: an inquiry answered in 1 h, still open past its resolution deadline.
  ticket({
    number: "CS2026110003",
    at: "2026-11-18T02:00:00.000Z",
    problemType: "product_inquiry",
    product: "X200",
    dueFirst: 2,
    dueResolve: 24,
    startedAfter: 1,
  }),
  // D: logistics, never answered, its first-response deadline long past; resolution due after the review.
  ticket({
    number: "CS2026110004",
    at: "2026-11-20T02:00:00.000Z",
    problemType: "logistics",
    description: "物流一直不更新，客户电话 13900139000",
    dueFirst: 2,
    dueResolve: 120,
  }),
  // E: answered in 15 min, resolution due after the review.
  ticket({
    number: "CS2026110005",
    at: "2026-11-21T02:00:00.000Z",
    problemType: "product_inquiry",
    product: "Z9",
    dueFirst: 4,
    dueResolve: 72,
    startedAfter: 0.25,
  }),
  // F: Monday 01:00 in Shanghai: the next week.
  ticket({
    number: "CS2026110006",
    at: "2026-11-22T17:00:00.000Z",
    product: "X200",
    dueFirst: 2,
    dueResolve: 24,
  }),
  // G: Sunday 23:00 the week before, resolved then, surveyed 4/3 in the week.
  ticket({
    number: "CS2026110007",
    at: "2026-11-15T15:00:00.000Z",
    product: "X200",
    dueFirst: 2,
    dueResolve: 24,
    startedAfter: 0.5,
    resolvedAfter: 2,
    survey: { at: "2026-11-16T03:00:00.000Z", r: 4, a: 3 },
  }),
  // H: another department.
  ticket({
    number: "CS2026110008",
    at: "2026-11-18T02:00:00.000Z",
    department: "returns",
    product: "X200",
    dueFirst: 2,
    dueResolve: 24,
    survey: { at: "2026-11-19T02:00:00.000Z", r: 1, a: 1 },
  }),
];
