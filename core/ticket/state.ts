import type { SealedContact } from "../privacy/cipher.ts";
import type {
  CreatedEvent,
  CustomerRecord,
  Deadlines,
  Placement,
  RuleHit,
  ScheduledStage,
  SurveyMethod,
  TicketEvent,
} from "./events.ts";
import { isMaterial } from "./events.ts";
import type { Channel, Demand, Mood, Platform, Priority, Status } from "./schema.ts";

export interface TicketState {
  readonly number: string;
  readonly status: Status;
  /** Public optimistic-concurrency counter: bumps on material changes only. */
  readonly version: number;
  /** Count of events: the store's write guard. */
  readonly seq: number;
  readonly description: string;
  readonly customer: CustomerRecord;
  readonly contacts: readonly SealedContact[];
  readonly origin: CreatedEvent["origin"];
  readonly channel?: Channel;
  readonly problemType: string;
  readonly problemTag?: string;
  readonly priority: Priority;
  readonly mood: Mood;
  readonly department: string;
  readonly owner?: string;
  readonly firstContact: string;
  readonly watchers: readonly string[];
  readonly product?: string;
  readonly orderNo?: string;
  readonly occurredAt?: string;
  readonly occurredWhere?: string;
  readonly demand: readonly Demand[];
  readonly evidence: readonly string[];
  readonly rules: readonly RuleHit[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly createdVia: Platform | "system";
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly firstResponseAt?: string;
  readonly startedAt?: string;
  readonly resolvedAt?: string;
  readonly reopenedAt?: string;
  readonly solution?: string;
  readonly reopenReason?: string;
  readonly nudges: { readonly count: number; readonly lastAt?: string; readonly lastBy?: string };
  readonly due: Deadlines;
  /** The SLA stages still to come, and the keys of those already fired (never fired twice). */
  readonly schedule: readonly ScheduledStage[];
  readonly fired: readonly string[];
  /** When the next unfired stage is due: the scheduler's index key. */
  readonly nextDueAt?: string;
  /** Waiting on the customer: the clock stands still. */
  readonly paused?: { readonly since: string; readonly by: string; readonly reason: string };
  readonly pausedMs: number;
  /** The last progress heartbeat: a status change or the owner's comment. */
  readonly lastUpdateAt?: string;
  readonly escalation: { readonly level: number; readonly to: readonly string[] };
  readonly confirmation?: {
    readonly result: "confirmed" | "disputed";
    readonly at: string;
    readonly by: string;
    readonly reason?: string;
  };
  readonly survey?: {
    readonly at: string;
    readonly by: string;
    readonly resolutionScore: number;
    readonly attitudeScore: number;
    readonly method: SurveyMethod;
    readonly suggestion?: string;
  };
  readonly remedy?: {
    readonly openedAt: string;
    readonly doneAt?: string;
    readonly by?: string;
    readonly note?: string;
  };
  /** Every chat message showing this ticket's card. */
  readonly placements: readonly Placement[];
}

const RESPONSE_EVENTS = new Set<TicketEvent["type"]>(["started", "resolved", "commented"]);

function fromCreated(e: CreatedEvent): TicketState {
  return {
    number: e.number,
    status: "pending",
    version: 1,
    seq: 1,
    description: e.description,
    customer: e.customer,
    contacts: e.contacts,
    origin: e.origin,
    channel: e.channel,
    problemType: e.problemType,
    problemTag: e.problemTag,
    priority: e.priority,
    mood: e.mood,
    department: e.department,
    owner: e.owner,
    firstContact: e.firstContact,
    watchers: e.watchers,
    product: e.product,
    orderNo: e.orderNo,
    occurredAt: e.occurredAt,
    occurredWhere: e.occurredWhere,
    demand: e.demand,
    evidence: e.evidence,
    rules: e.rules,
    createdAt: e.at,
    createdBy: e.actor,
    createdVia: e.via,
    updatedAt: e.at,
    updatedBy: e.actor,
    nudges: { count: 0 },
    due: {},
    schedule: [],
    fired: [],
    pausedMs: 0,
    escalation: { level: 0, to: [] },
    placements: [],
  };
}

function nextDue(schedule: readonly ScheduledStage[], fired: readonly string[]): string | undefined {
  let next: string | undefined;
  for (const stage of schedule) {
    if (fired.includes(stage.key)) continue;
    if (next === undefined || stage.at < next) next = stage.at;
  }
  return next;
}

function withContacts(s: TicketState, extra: readonly SealedContact[] | undefined): readonly SealedContact[] {
  if (!extra?.length) return s.contacts;
  const known = new Set(s.contacts.map((c) => c.hash));
  return [...s.contacts, ...extra.filter((c) => !known.has(c.hash))];
}

function apply(s: TicketState, e: TicketEvent): TicketState {
  switch (e.type) {
    case "created":
      throw new Error(`ticket ${s.number}: a second created event`);
    case "assigned":
      return { ...s, owner: e.owner, department: e.department };
    case "started":
      return { ...s, status: "in_progress", startedAt: s.startedAt ?? e.at, lastUpdateAt: e.at };
    case "resolved":
      return {
        ...s,
        status: "resolved",
        resolvedAt: e.at,
        solution: e.solution,
        contacts: withContacts(s, e.contacts),
      };
    case "reopened":
      return {
        ...s,
        status: "in_progress",
        reopenedAt: e.at,
        reopenReason: e.reason,
        resolvedAt: undefined,
        lastUpdateAt: e.at,
        confirmation: undefined,
        survey: undefined,
        remedy: undefined,
        contacts: withContacts(s, e.contacts),
      };
    case "commented":
      return {
        ...s,
        contacts: withContacts(s, e.contacts),
        lastUpdateAt: e.actor === s.owner ? e.at : s.lastUpdateAt,
      };
    case "nudged":
      return { ...s, nudges: { count: s.nudges.count + 1, lastAt: e.at, lastBy: e.actor } };
    case "contact_revealed":
      return s;
    case "deadlines_set": {
      const schedule = e.schedule ?? [];
      return { ...s, due: e.due, schedule, nextDueAt: nextDue(schedule, s.fired) };
    }
    case "updated":
      return { ...s, ...e.changes };
    case "paused":
      return { ...s, paused: { since: e.at, by: e.actor, reason: e.reason } };
    case "resumed":
      return { ...s, paused: undefined, pausedMs: s.pausedMs + e.pausedMs, lastUpdateAt: e.at };
    case "escalated":
      return {
        ...s,
        escalation: {
          level: Math.max(s.escalation.level, e.level),
          to: [...s.escalation.to, ...e.to.filter((p) => !s.escalation.to.includes(p))],
        },
      };
    case "sla_stage": {
      const fired = [...s.fired, e.key];
      return { ...s, fired, nextDueAt: nextDue(s.schedule, fired) };
    }
    case "confirmed":
      return { ...s, confirmation: { result: e.result, at: e.at, by: e.actor, reason: e.reason } };
    case "surveyed":
      return {
        ...s,
        survey: {
          at: e.at,
          by: e.actor,
          resolutionScore: e.resolutionScore,
          attitudeScore: e.attitudeScore,
          method: e.method,
          suggestion: e.suggestion,
        },
        remedy: e.remedy ? { openedAt: e.at } : undefined,
      };
    case "card_posted": {
      const same = (p: Placement) =>
        p.platform === e.placement.platform && p.messageId === e.placement.messageId;
      return { ...s, placements: [...s.placements.filter((p) => !same(p)), e.placement] };
    }
    case "remedied":
      return {
        ...s,
        remedy: { openedAt: s.remedy?.openedAt ?? e.at, doneAt: e.at, by: e.actor, note: e.note },
      };
  }
}

/** One step of the fold: the state after an event. */
export function evolve(state: TicketState | undefined, event: TicketEvent): TicketState {
  if (!state) {
    if (event.type !== "created")
      throw new Error(`a ticket's first event must be created, got ${event.type}`);
    return fromCreated(event);
  }
  const next = apply(state, event);
  const responded =
    next.firstResponseAt === undefined &&
    next.owner !== undefined &&
    event.actor === next.owner &&
    (RESPONSE_EVENTS.has(event.type) || (event.type === "assigned" && event.how === "claim"));
  return {
    ...next,
    seq: state.seq + 1,
    version: isMaterial(event) ? state.version + 1 : state.version,
    updatedAt: event.at,
    updatedBy: event.actor,
    ...(responded ? { firstResponseAt: event.at } : {}),
  };
}

/** A ticket's state, derived from its events alone. */
export function fold(events: readonly TicketEvent[]): TicketState {
  let state: TicketState | undefined;
  for (const e of events) state = evolve(state, e);
  if (!state) throw new Error("a ticket needs at least one event");
  return state;
}
