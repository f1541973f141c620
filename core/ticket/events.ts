import type { SealedContact } from "../privacy/cipher.ts";
import type { CustomerHistory } from "./customer-history.ts";
import type { Channel, CustomerType, Demand, Mood, Platform, Priority } from "./schema.ts";

/** Who did something and through which surface. `system` is the clock, the router or the store itself. */
export interface EventMeta {
  readonly at: string;
  readonly actor: string;
  readonly via: Platform | "system";
  /**
   * The platform's id of the delivery that asked for this change (a card action's event id): platforms
   * deliver a click again, sometimes much later, and a delivery already in the timeline changes nothing.
   */
  readonly request?: string;
}

export interface CustomerRecord {
  readonly name?: string;
  readonly phone?: SealedContact;
  readonly id?: string;
  readonly type: CustomerType;
  readonly organisation?: string;
  readonly tags: readonly string[];
  /** Matched to a customer profile at intake (see core/customer). */
  readonly history?: CustomerHistory;
}

export interface Deadlines {
  readonly firstResponse?: string;
  readonly update?: string;
  readonly resolution?: string;
  readonly survey?: string;
  readonly remedy?: string;
}

/** Why routing decided what it did: one line per rule that fired, shown on the ticket. */
export interface RuleHit {
  readonly rule: string;
  readonly field: string;
  readonly value: string;
}

export interface CreatedEvent extends EventMeta {
  readonly type: "created";
  readonly number: string;
  readonly description: string;
  readonly customer: CustomerRecord;
  readonly contacts: readonly SealedContact[];
  readonly origin: { readonly platform: Platform; readonly chatId?: string; readonly messageId?: string };
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
}

export interface AssignedEvent extends EventMeta {
  readonly type: "assigned";
  readonly owner: string;
  readonly department: string;
  readonly how: "claim" | "assign" | "auto";
}

export interface StartedEvent extends EventMeta {
  readonly type: "started";
}

export interface ResolvedEvent extends EventMeta {
  readonly type: "resolved";
  readonly solution: string;
  readonly contacts?: readonly SealedContact[];
}

export interface ReopenedEvent extends EventMeta {
  readonly type: "reopened";
  readonly reason: string;
  readonly contacts?: readonly SealedContact[];
}

export interface CommentedEvent extends EventMeta {
  readonly type: "commented";
  readonly text: string;
  readonly contacts?: readonly SealedContact[];
}

export interface NudgedEvent extends EventMeta {
  readonly type: "nudged";
  readonly target: string;
}

export interface ContactRevealedEvent extends EventMeta {
  readonly type: "contact_revealed";
  readonly field: "phone";
}

/** One step of an SLA clock: a warning, the breach, or a further escalation level. */
export interface ScheduledStage {
  /** Unique per (target, stage, level, deadline): a stage fires once per key, ever. */
  readonly key: string;
  readonly at: string;
  readonly target: SlaTarget;
  readonly stage: "warn" | "breach" | "escalate";
  readonly level: number;
  readonly due: string;
}

export type SlaTarget = "firstResponse" | "update" | "resolution" | "survey" | "remedy";

export interface DeadlinesSetEvent extends EventMeta {
  readonly type: "deadlines_set";
  readonly due: Deadlines;
  readonly schedule?: readonly ScheduledStage[];
}

/** Routing decisions a person overrode. */
export interface UpdatedEvent extends EventMeta {
  readonly type: "updated";
  readonly changes: {
    readonly priority?: Priority;
    readonly problemType?: string;
    readonly problemTag?: string;
    readonly mood?: Mood;
  };
}

export interface PausedEvent extends EventMeta {
  readonly type: "paused";
  readonly reason: string;
}

export interface ResumedEvent extends EventMeta {
  readonly type: "resumed";
  /** Business time the clock stood still, added to every running deadline. */
  readonly pausedMs: number;
}

export interface EscalationReasonRecord {
  readonly kind: string;
  readonly text: { readonly "zh-CN": string; readonly en: string };
}

/** Went straight to a head: an SLA level or an escalation criterion (angry customer, major complaint...). */
export interface EscalatedEvent extends EventMeta {
  readonly type: "escalated";
  readonly to: readonly string[];
  readonly level: number;
  readonly reasons: readonly EscalationReasonRecord[];
}

export interface StageFiredEvent extends EventMeta {
  readonly type: "sla_stage";
  readonly key: string;
  readonly target: SlaTarget;
  readonly stage: ScheduledStage["stage"];
  readonly level: number;
  readonly due: string;
  readonly notified: readonly string[];
}

export interface ConfirmedEvent extends EventMeta {
  readonly type: "confirmed";
  readonly result: "confirmed" | "disputed";
  readonly reason?: string;
}

export const SURVEY_METHODS = ["phone", "online_survey", "message"] as const;
export type SurveyMethod = (typeof SURVEY_METHODS)[number];

export interface SurveyedEvent extends EventMeta {
  readonly type: "surveyed";
  readonly resolutionScore: number;
  readonly attitudeScore: number;
  readonly method: SurveyMethod;
  readonly suggestion?: string;
  /** A score below the threshold opens a remedy task with its own clock. */
  readonly remedy: boolean;
}

/** Where a card for this ticket was posted, so every copy is updated when the ticket changes. */
export interface Placement {
  readonly platform: string;
  readonly chatId: string;
  readonly messageId: string;
  /** Whatever else the platform needs to update it (a card instance id, a service URL...). */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface CardPostedEvent extends EventMeta {
  readonly type: "card_posted";
  readonly placement: Placement;
}

export interface RemediedEvent extends EventMeta {
  readonly type: "remedied";
  readonly note: string;
}

export type TicketEvent =
  | CreatedEvent
  | AssignedEvent
  | StartedEvent
  | ResolvedEvent
  | ReopenedEvent
  | CommentedEvent
  | NudgedEvent
  | ContactRevealedEvent
  | DeadlinesSetEvent
  | UpdatedEvent
  | PausedEvent
  | ResumedEvent
  | EscalatedEvent
  | StageFiredEvent
  | ConfirmedEvent
  | SurveyedEvent
  | RemediedEvent
  | CardPostedEvent;

export type TicketEventType = TicketEvent["type"];

/** Events that change what a person acts on; each bumps the ticket's public version. */
const MATERIAL: ReadonlySet<TicketEventType> = new Set([
  "created",
  "assigned",
  "started",
  "resolved",
  "reopened",
]);

export const isMaterial = (e: TicketEvent): boolean => MATERIAL.has(e.type);
