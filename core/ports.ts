import type { TicketEvent } from "./ticket/events.ts";
import type { Priority, Status } from "./ticket/schema.ts";
import type { TicketState } from "./ticket/state.ts";

/** A ticket as the store keeps it: its events, and the state folded from them. */
export interface TicketRecord {
  readonly state: TicketState;
  readonly events: readonly TicketEvent[];
}

/** A notification core wants delivered; written in the same store write as the change that caused it. */
export interface OutboxIntent {
  /** Idempotency key: the same key is never delivered twice. */
  readonly key: string;
  readonly kind: string;
  readonly recipient: string;
  readonly ticket: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly notBefore?: string;
}

export interface OutboxItem extends OutboxIntent {
  readonly createdAt: string;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly deliveredAt?: string;
  readonly lastError?: string;
}

export type OutboxOutcome =
  | { readonly deliveredAt: string }
  | { readonly retryAt: string; readonly error: string };

export interface NewTicket {
  readonly events: readonly TicketEvent[];
  readonly outbox?: readonly OutboxIntent[];
}

export interface TicketQuery {
  readonly status?: readonly Status[];
  readonly department?: string;
  readonly owner?: string;
  readonly priority?: Priority;
  /** Only tickets whose next deadline is before this instant and that are not resolved. */
  readonly overdueAt?: string;
  /** Free text: number, customer name, description; `phoneHash` matches a contact exactly. */
  readonly q?: string;
  readonly phoneHash?: string;
  readonly includeArchived?: boolean;
  readonly limit: number;
  readonly cursor?: string;
}

export interface TicketPage {
  readonly items: readonly TicketRecord[];
  readonly nextCursor?: string;
}

/** Raised when the ticket changed between a read and a write; the caller re-reads and decides again. */
export class StaleWriteError extends Error {
  readonly current: TicketRecord;
  constructor(current: TicketRecord) {
    super(`ticket ${current.state.number} changed (now at seq ${current.state.seq})`);
    this.name = "StaleWriteError";
    this.current = current;
  }
}

/** A message that already made a ticket (same platform, chat and message id) made this one. */
export class DuplicateOriginError extends Error {
  readonly existing: TicketRecord;
  constructor(existing: TicketRecord) {
    super(`ticket ${existing.state.number} was already created from this message`);
    this.name = "DuplicateOriginError";
    this.existing = existing;
  }
}

/**
 * A small keyed record kept beside the tickets: a knowledge article, a customer profile, a public link,
 * a webhook subscription. Collections are named by the feature that owns them.
 */
export interface StoredDoc {
  readonly collection: string;
  readonly id: string;
  /** 1 on first write, +1 on each write after. */
  readonly rev: number;
  readonly updatedAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface DocPage {
  readonly items: readonly StoredDoc[];
  readonly nextCursor?: string;
}

/** The doc changed (or appeared, or went) between a read and a write; the caller re-reads and decides again. */
export class DocConflictError extends Error {
  readonly current: StoredDoc | undefined;
  constructor(collection: string, id: string, current: StoredDoc | undefined) {
    super(
      current
        ? `${collection}/${id} changed (now at rev ${current.rev})`
        : `${collection}/${id} does not exist (any more)`,
    );
    this.name = "DocConflictError";
    this.current = current;
  }
}

/** Collection and id: 1-64 and 1-200 characters, letters, digits and `._:-` (ids are often hashes or tokens). */
export const DOC_COLLECTION = /^[a-z][a-z0-9_-]{0,63}$/;
export const DOC_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export function checkDocKey(collection: string, id: string): void {
  if (!DOC_COLLECTION.test(collection))
    throw new Error(`not a doc collection name: ${JSON.stringify(collection)}`);
  if (!DOC_ID.test(id)) throw new Error(`not a doc id: ${JSON.stringify(id)}`);
}

/**
 * What core needs from storage. Every method that writes is durable when its promise resolves,
 * and writes the events and the outbox rows they cause together or not at all.
 */
export interface TicketStore {
  open(): Promise<void>;
  close(): Promise<void>;
  /**
   * Allocates the next sequence number of `period` and writes the ticket built with it, in one write.
   * A ticket whose origin (platform, chatId, messageId) has a messageId another ticket already has is
   * refused with DuplicateOriginError: a redelivered chat message never makes a second ticket.
   */
  create(period: string, build: (seq: number) => NewTicket): Promise<TicketRecord>;
  /** Appends events if the ticket is still at `expectedSeq`; otherwise throws StaleWriteError. */
  append(
    number: string,
    expectedSeq: number,
    events: readonly TicketEvent[],
    outbox?: readonly OutboxIntent[],
  ): Promise<TicketRecord>;
  get(number: string): Promise<TicketRecord | undefined>;
  list(query: TicketQuery): Promise<TicketPage>;
  /** Moves tickets resolved before `resolvedBefore` out of the active set; returns how many moved. */
  archive(resolvedBefore: string): Promise<number>;
  /** Tickets whose next SLA stage is due at `now`, earliest first: found from an index, not a scan. */
  dueTickets(now: string, limit: number): Promise<readonly TicketRecord[]>;
  /**
   * Optional, for a store several instances share: dueTickets, but each ticket returned is leased to this
   * instance for a while, and tickets another live instance holds are left out, so the instances sweep side
   * by side. (The guarded append still decides: a stage fires once even if two instances try.)
   */
  claimDueTickets?(now: string, limit: number): Promise<readonly TicketRecord[]>;
  /** The earliest next-due instant of any ticket, so the scheduler can sleep until then. */
  nextDueAt(): Promise<string | undefined>;
  /**
   * Optional: the open (pending or in progress, not archived) tickets of a department per owner, counted
   * from an index. Least-open assignment asks for it on every new ticket; without it the caller pages
   * through the department's open tickets.
   */
  openCountsByOwner?(department: string): Promise<Readonly<Record<string, number>>>;
  /**
   * Adds outbox rows that no ticket change caused (an inbound platform event waiting to be processed, say);
   * a key already known is ignored, so the outbox doubles as a durable de-duplicating inbox. Returns how
   * many rows were new. Durable when it resolves.
   */
  enqueue(intents: readonly OutboxIntent[]): Promise<number>;
  /** Outbox rows not yet delivered whose next attempt is due at `now`. */
  dueOutbox(now: string, limit: number): Promise<readonly OutboxItem[]>;
  /**
   * Optional, for a store several instances share: dueOutbox, but only the rows of recipients this instance
   * holds. Each claim leases the recipients of due rows no other live instance holds (and renews its own),
   * so one instance at a time delivers to a person, in order; when an instance dies its leases lapse and
   * another takes its rows over.
   */
  claimOutbox?(now: string, limit: number): Promise<readonly OutboxItem[]>;
  settleOutbox(key: string, outcome: OutboxOutcome): Promise<void>;
  getDoc(collection: string, id: string): Promise<StoredDoc | undefined>;
  /**
   * Writes a doc whole if it is still at `expectedRev` (0: it must not exist yet), with any outbox rows in
   * the same write; otherwise throws DocConflictError. Returns the doc at its new revision.
   */
  putDoc(
    collection: string,
    id: string,
    expectedRev: number,
    data: Readonly<Record<string, unknown>>,
    outbox?: readonly OutboxIntent[],
  ): Promise<StoredDoc>;
  /** Removes a doc still at `expectedRev`; otherwise throws DocConflictError. */
  deleteDoc(collection: string, id: string, expectedRev: number): Promise<void>;
  /** A collection's docs in id order, a page at a time. */
  listDocs(collection: string, page: { readonly limit: number; readonly cursor?: string }): Promise<DocPage>;
  /** Called after each durable write with the tickets it changed. */
  onChange(listener: (changed: readonly TicketRecord[]) => void): () => void;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What happened to one delivery attempt of one or more outbox rows (several = a digest for one person). */
export type DeliveryOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly error: string;
      /** The platform said when to come back (Retry-After, a 429's reset time). */
      readonly retryAfterMs?: number;
      /** No retry can help (unknown recipient, no platform reaches them); kept for a person to see. */
      readonly permanent?: boolean;
      /**
       * Nothing was attempted: the adapter is pacing itself (a platform's per-chat send limit) and the rows go
       * again after `retryAfterMs`, without the backoff a failure earns.
       */
      readonly hold?: boolean;
    };

/**
 * Delivers notifications to a person on whichever platform reaches them. Implementations pass each row's
 * `key` to the platform as its idempotency key where the platform has one, so a retry never shows twice.
 */
export interface NotificationSink {
  deliver(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome>;
  /**
   * Which of the sink's ways out (a platform, the webhooks) these rows take. The dispatcher gives each its own
   * delivery slots, so one that is slow or paced (a platform's app-wide send limit, an outage) never holds up
   * the others. Absent: one group for everything.
   */
  groupOf?(recipient: string, items: readonly OutboxItem[]): string;
}
