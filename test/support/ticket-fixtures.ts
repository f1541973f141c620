import type { NewTicket, OutboxIntent } from "../../core/ports.ts";
import type { SealedContact } from "../../core/privacy/cipher.ts";
import type {
  AssignedEvent,
  CommentedEvent,
  CreatedEvent,
  Deadlines,
  DeadlinesSetEvent,
  EventMeta,
  ReopenedEvent,
  ResolvedEvent,
  ScheduledStage,
  StageFiredEvent,
  StartedEvent,
  TicketEvent,
} from "../../core/ticket/events.ts";
import { formatNumber } from "../../core/ticket/numbering.ts";

/** A fixed instant the fixtures count from. */
export const T0 = "2025-03-01T08:00:00.000Z";

/** `minutes` after `base`, as an ISO instant. */
export const at = (minutes: number, base: string = T0): string =>
  new Date(Date.parse(base) + minutes * 60_000).toISOString();

export const numberOf = (period: string, seq: number, prefix = "T"): string =>
  formatNumber(prefix, period, seq);

const meta = (when: string, actor: string): EventMeta => ({ at: when, actor, via: "web" });

/** A contact as the cipher would seal it; only the hash matters to the store. */
export const sealed = (hash: string): SealedContact => ({
  cipher: `v1.iv.tag.${hash}`,
  masked: "138****0000",
  hash,
});

export function makeCreated(
  number: string,
  overrides: Partial<Omit<CreatedEvent, "type">> = {},
): CreatedEvent {
  return {
    ...meta(T0, "alice"),
    type: "created",
    number,
    description: `Parcel for ${number} arrived damaged`,
    customer: { name: "Li Lei", type: "new", tags: [] },
    contacts: [],
    origin: { platform: "web" },
    problemType: "logistics",
    priority: "normal",
    mood: "calm",
    department: "support",
    firstContact: "alice",
    watchers: [],
    demand: ["replace"],
    evidence: [],
    rules: [],
    ...overrides,
  };
}

export const assigned = (
  when: string,
  owner: string,
  department = "support",
  how: AssignedEvent["how"] = "assign",
  actor = "alice",
): AssignedEvent => ({ ...meta(when, actor), type: "assigned", owner, department, how });

export const started = (when: string, actor = "alice"): StartedEvent => ({
  ...meta(when, actor),
  type: "started",
});

export const resolved = (when: string, solution = "Sent a replacement", actor = "alice"): ResolvedEvent => ({
  ...meta(when, actor),
  type: "resolved",
  solution,
});

export const reopened = (when: string, reason = "Still broken", actor = "alice"): ReopenedEvent => ({
  ...meta(when, actor),
  type: "reopened",
  reason,
});

export const commented = (
  when: string,
  text: string,
  contacts: readonly SealedContact[] = [],
  actor = "alice",
): CommentedEvent => ({
  ...meta(when, actor),
  type: "commented",
  text,
  ...(contacts.length > 0 ? { contacts } : {}),
});

export const deadlinesSet = (
  when: string,
  due: Deadlines,
  schedule?: readonly ScheduledStage[],
): DeadlinesSetEvent => ({
  ...meta(when, "system"),
  via: "system",
  type: "deadlines_set",
  due,
  ...(schedule ? { schedule } : {}),
});

/** An SLA stage due at `when` (its deadline an hour later). */
export const stage = (
  key: string,
  when: string,
  target: ScheduledStage["target"] = "resolution",
  kind: ScheduledStage["stage"] = "warn",
): ScheduledStage => ({ key, at: when, target, stage: kind, level: 0, due: at(60, when) });

export const stageFired = (when: string, s: ScheduledStage): StageFiredEvent => ({
  ...meta(when, "system"),
  via: "system",
  type: "sla_stage",
  key: s.key,
  target: s.target,
  stage: s.stage,
  level: s.level,
  due: s.due,
  notified: [],
});

export const intent = (key: string, overrides: Partial<OutboxIntent> = {}): OutboxIntent => ({
  key,
  kind: "ticket_created",
  recipient: "bob",
  ticket: "T2025030001",
  payload: { hello: key },
  ...overrides,
});

export interface TicketSpec {
  readonly created?: Partial<Omit<CreatedEvent, "type" | "number">>;
  /** Events after `created`, given the ticket's number. */
  readonly after?: (number: string) => readonly TicketEvent[];
  readonly outbox?: (number: string) => readonly OutboxIntent[];
}

/** A `build` for TicketStore.create: numbers the ticket from the period and the allocated sequence. */
export const ticket =
  (period: string, spec: TicketSpec = {}) =>
  (seq: number): NewTicket => {
    const number = numberOf(period, seq);
    return {
      events: [makeCreated(number, spec.created), ...(spec.after?.(number) ?? [])],
      outbox: spec.outbox?.(number) ?? [],
    };
  };
