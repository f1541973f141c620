import type { OutboxItem, StoredDoc, TicketRecord } from "../../../core/ports.ts";
import { DueIndex } from "../../../core/sla/due-index.ts";
import type { TicketEvent } from "../../../core/ticket/events.ts";
import { evolve, fold } from "../../../core/ticket/state.ts";
import { StoreCorruptError } from "./errors.ts";
import { OutboxRows } from "./outbox.ts";
import { newestFirst, type Position, positionOf } from "./query.ts";

/** One change inside a journal entry. Replaying the ops of every entry in order rebuilds the hot state. */
export type Op =
  | { readonly t: "counter"; readonly period: string; readonly value: number }
  /** Events appended to a hot ticket at seq `after` (0: a new ticket). */
  | {
      readonly t: "events";
      readonly number: string;
      readonly after: number;
      readonly events: readonly TicketEvent[];
    }
  /** An archived ticket back into the hot set, with its whole history (the hot side has none of it). */
  | { readonly t: "restore"; readonly number: string; readonly events: readonly TicketEvent[] }
  /** A hot ticket, unchanged since seq `seq`, now lives in archive/`month`.json. */
  | { readonly t: "archive"; readonly number: string; readonly month: string; readonly seq: number }
  /** An outbox row, inserted or replaced whole. */
  | { readonly t: "row"; readonly row: OutboxItem }
  | { readonly t: "prune"; readonly keys: readonly string[] }
  /** A doc written whole at `doc.rev`, or removed (`doc` null). */
  | {
      readonly t: "doc";
      readonly collection: string;
      readonly id: string;
      readonly doc: StoredDoc | null;
    };

/** One write transaction: one line of the journal. */
export interface JournalEntry {
  readonly seq: number;
  readonly ops: readonly Op[];
}

export function originKey(origin: TicketRecord["state"]["origin"]): string | undefined {
  if (!origin.messageId) return undefined;
  return JSON.stringify([origin.platform, origin.chatId ?? "", origin.messageId]);
}

export function recordOf(events: readonly TicketEvent[]): TicketRecord {
  return Object.freeze({ state: fold(events), events: Object.freeze([...events]) });
}

/** What the snapshot plus the journal describe: the active tickets, the archive index, counters and outbox. */
export class HotState {
  /** Sequence of the last journal entry applied. */
  seq = 0;
  readonly counters = new Map<string, number>();
  readonly tickets = new Map<string, TicketRecord>();
  /** Archived ticket number -> the month file holding it. A number is either here or in `tickets`. */
  readonly archived = new Map<string, string>();
  /** Counts changes to `archived` (archive, restore), so an index built from it knows when it is stale. */
  archivedChanges = 0;
  outbox = new OutboxRows();
  /** Hot tickets by the instant their next SLA stage is due. */
  readonly due = new DueIndex();
  /** Ticket numbers by the chat message that created them (only tickets made from a message). */
  readonly origins = new Map<string, string>();
  /** Docs by collection, then id. */
  readonly docs = new Map<string, Map<string, StoredDoc>>();

  doc(collection: string, id: string): StoredDoc | undefined {
    return this.docs.get(collection)?.get(id);
  }

  putDoc(collection: string, id: string, doc: StoredDoc | null): void {
    let docs = this.docs.get(collection);
    if (!docs) {
      if (!doc) return;
      docs = new Map();
      this.docs.set(collection, docs);
    }
    if (doc) docs.set(id, doc);
    else docs.delete(id);
  }

  /** Open hot tickets per department, then owner: least-open assignment reads it per new ticket. */
  readonly openLoad = new Map<string, Map<string, number>>();

  #countOpen(state: TicketRecord["state"] | undefined, by: 1 | -1): void {
    if (!state?.owner || state.status === "resolved") return;
    let owners = this.openLoad.get(state.department);
    if (!owners) {
      owners = new Map();
      this.openLoad.set(state.department, owners);
    }
    const n = (owners.get(state.owner) ?? 0) + by;
    if (n > 0) owners.set(state.owner, n);
    else owners.delete(state.owner);
  }

  /** Hot tickets oldest first (lists walk it from the newest end); built on first use, then kept. */
  #order: Position[] | undefined;
  /** Some tickets in #order left the hot set. */
  #orderStale = false;

  /** Every hot ticket's position, oldest first (createdAt, then number). */
  oldestFirst(): readonly Position[] {
    if (!this.#order) {
      this.#order = [...this.tickets.values()].map(positionOf).sort((a, b) => newestFirst(b, a));
      this.#orderStale = false;
    } else if (this.#orderStale) {
      this.#order = this.#order.filter((p) => this.tickets.has(p.number));
      this.#orderStale = false;
    }
    return this.#order;
  }

  #placeInOrder(record: TicketRecord): void {
    const order = this.#order;
    if (!order) return;
    const p = positionOf(record);
    const last = order.at(-1);
    // new tickets are the newest; anything else (a restore, an odd clock) puts it in its place
    if (!last || newestFirst(p, last) <= 0) order.push(p);
    else {
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (newestFirst(p, order[mid]!) > 0) lo = mid + 1;
        else hi = mid;
      }
      order.splice(lo, 0, p);
    }
  }

  /** Sets a hot ticket, keeping the due, origin, open-load and order indexes in step. */
  put(record: TicketRecord): void {
    const before = this.tickets.get(record.state.number);
    this.#countOpen(before?.state, -1);
    this.#countOpen(record.state, 1);
    if (!before) this.#placeInOrder(record);
    this.tickets.set(record.state.number, record);
    this.due.set(record.state.number, record.state.nextDueAt);
    const key = originKey(record.state.origin);
    if (key) this.origins.set(key, record.state.number);
  }

  /** Applies an entry; returns the tickets it changed. Throws on anything that cannot follow the current state. */
  apply(entry: JournalEntry): TicketRecord[] {
    if (entry.seq !== this.seq + 1)
      throw new StoreCorruptError(`journal entry ${entry.seq} after ${this.seq}`);
    const changed = new Map<string, TicketRecord>();
    for (const op of entry.ops) {
      const record = this.#applyOp(op, entry.seq);
      if (record) changed.set(record.state.number, record);
    }
    this.seq = entry.seq;
    return [...changed.values()];
  }

  #applyOp(op: Op, seq: number): TicketRecord | undefined {
    const bad = (why: string) => new StoreCorruptError(`journal entry ${seq}: ${why}`);
    switch (op.t) {
      case "counter":
        this.counters.set(op.period, Math.max(this.counters.get(op.period) ?? 0, op.value));
        return undefined;
      case "events": {
        const current = this.tickets.get(op.number);
        if ((current?.state.seq ?? 0) !== op.after || (op.after === 0 && this.archived.has(op.number)))
          throw bad(`ticket ${op.number} is not at seq ${op.after}`);
        let state = current?.state;
        for (const e of op.events) state = evolve(state, e);
        if (!state) throw bad(`no events for ${op.number}`);
        const events = current ? [...current.events, ...op.events] : [...op.events];
        const record: TicketRecord = Object.freeze({ state, events: Object.freeze(events) });
        this.put(record);
        return record;
      }
      case "restore": {
        if (!this.archived.has(op.number) || this.tickets.has(op.number))
          throw bad(`ticket ${op.number} is not archived`);
        const record = recordOf(op.events);
        this.archived.delete(op.number);
        this.archivedChanges++;
        this.put(record);
        return record;
      }
      case "archive": {
        const current = this.tickets.get(op.number);
        if (current?.state.seq !== op.seq) throw bad(`ticket ${op.number} is not hot at seq ${op.seq}`);
        this.#countOpen(current.state, -1);
        this.#orderStale = true;
        this.tickets.delete(op.number);
        this.due.set(op.number, undefined);
        this.archived.set(op.number, op.month);
        this.archivedChanges++;
        return undefined;
      }
      case "row":
        this.outbox.put(op.row);
        return undefined;
      case "prune":
        for (const key of op.keys) this.outbox.delete(key);
        return undefined;
      case "doc": {
        const before = this.doc(op.collection, op.id)?.rev ?? 0;
        if (op.doc && op.doc.rev !== before + 1)
          throw bad(`doc ${op.collection}/${op.id} is at rev ${before}, not ${op.doc.rev - 1}`);
        this.putDoc(op.collection, op.id, op.doc);
        return undefined;
      }
    }
  }
}
