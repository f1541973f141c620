import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Low } from "lowdb";
import type {
  Clock,
  DocPage,
  NewTicket,
  OutboxIntent,
  OutboxItem,
  OutboxOutcome,
  StoredDoc,
  TicketPage,
  TicketQuery,
  TicketRecord,
  TicketStore,
} from "../../../core/ports.ts";
import {
  checkDocKey,
  DOC_COLLECTION,
  DocConflictError,
  DuplicateOriginError,
  StaleWriteError,
  systemClock,
} from "../../../core/ports.ts";
import type { TicketEvent } from "../../../core/ticket/events.ts";
import { notFound } from "../../../core/ticket/refusals.ts";
import { evolve, fold } from "../../../core/ticket/state.ts";
import type { Month } from "./archive.ts";
import { ArchiveShelf, monthOf } from "./archive.ts";
import { Compactor } from "./compactor.ts";
import { DurableJsonFile } from "./durable-file.ts";
import { StoreClosedError, StoreFailedError } from "./errors.ts";
import { Journal } from "./journal.ts";
import { acquireLock } from "./lock.ts";
import { DELIVERED_RETENTION_MS, rowFromIntent, settledRow } from "./outbox.ts";
import {
  mayMatchArchived,
  mergePages,
  newestFirst,
  type Position,
  pageInOrder,
  positionOf,
} from "./query.ts";
import { recover } from "./recovery.ts";
import type { SnapshotData } from "./snapshot.ts";
import { emptySnapshot, serializeSnapshot } from "./snapshot.ts";
import type { HotState, Op } from "./state.ts";
import { originKey } from "./state.ts";

export interface LowdbStoreOptions {
  readonly dir: string;
  /** The journal is compacted into a new snapshot once it outgrows this and the last snapshot. Default 4 MiB. */
  readonly compactAfterBytes?: number;
  /** Compaction also waits for the journal to reach this fraction of the last snapshot's size. Default 1. */
  readonly compactionRatio?: number;
  /** Archive months kept parsed in memory. Default 12. */
  readonly archiveCacheMonths?: number;
  /** Delivered outbox rows are kept this long (their keys stay idempotent). Default 7 days. */
  readonly deliveredRetentionMs?: number;
  readonly clock?: Clock;
  /** Failures of background work (compaction, listeners); by default written to stderr. */
  readonly onBackgroundError?: (error: unknown) => void;
}

export interface LowdbStoreStats {
  readonly seq: number;
  readonly hot: number;
  readonly archived: number;
  readonly outbox: number;
  readonly journalBytes: number;
  readonly snapshotBytes: number;
  readonly snapshotSeq: number;
  readonly compactions: number;
  readonly compacting: boolean;
  readonly fsyncs: number;
  readonly flushes: number;
}

type Located =
  | { readonly kind: "hot"; readonly record: TicketRecord }
  | { readonly kind: "archived"; readonly record: TicketRecord; readonly month: string }
  | { readonly kind: "cold"; readonly month: string };

interface Opened {
  readonly state: HotState;
  readonly journal: Journal;
  readonly snapshot: Low<SnapshotData>;
  readonly snapshotFile: DurableJsonFile<SnapshotData>;
  readonly shelf: ArchiveShelf;
  readonly compactor: Compactor;
  readonly release: () => Promise<void>;
}

/**
 * The embedded store. Why not lowdb alone: lowdb rewrites its whole file on every write, so a write costs
 * as much as all history. Here a write is one line appended to a journal (shared with concurrent writes:
 * one fsync per group), lowdb holds the hot snapshot that is rewritten only when the journal has outgrown
 * it (amortised O(1) per write), and resolved tickets move to monthly archive files, out of the hot set.
 *
 * Every write is checked against memory synchronously, in arrival order, applied in memory, then made
 * durable; its promise resolves after the fsync.
 */
export class LowdbTicketStore implements TicketStore {
  readonly #dir: string;
  readonly #compactAfterBytes: number;
  readonly #compactionRatio: number;
  readonly #cacheMonths: number;
  readonly #retentionMs: number;
  readonly #clock: Clock;
  readonly #onBackgroundError: (error: unknown) => void;
  readonly #listeners = new Set<(changed: readonly TicketRecord[]) => void>();
  #phase: "new" | "opening" | "open" | "closing" | "closed" = "new";
  #o: Opened | undefined;
  #archiving: Promise<unknown> = Promise.resolve();
  /** Set if applying a checked write to memory failed half-way: memory can no longer be trusted. */
  #broken: unknown;

  constructor(options: LowdbStoreOptions) {
    this.#dir = options.dir;
    this.#compactAfterBytes = options.compactAfterBytes ?? 4 * 1024 * 1024;
    this.#compactionRatio = options.compactionRatio ?? 1;
    this.#cacheMonths = options.archiveCacheMonths ?? 12;
    this.#retentionMs = options.deliveredRetentionMs ?? DELIVERED_RETENTION_MS;
    this.#clock = options.clock ?? systemClock;
    this.#onBackgroundError =
      options.onBackgroundError ?? ((e) => console.error(`closeloop store ${this.#dir}:`, e));
  }

  async open(): Promise<void> {
    if (this.#phase !== "new") throw new StoreClosedError(this.#dir, `already ${this.#phase}`);
    this.#phase = "opening";
    try {
      await mkdir(this.#dir, { recursive: true });
      const release = await acquireLock(this.#dir);
      try {
        const snapshotFile = new DurableJsonFile<SnapshotData>(join(this.#dir, "snapshot.json"), {
          serialize: serializeSnapshot,
        });
        const snapshot = new Low<SnapshotData>(snapshotFile, emptySnapshot());
        const { state, files, journalBytes } = await recover(this.#dir, snapshot);
        const journal = new Journal(this.#dir, files, journalBytes);
        this.#o = {
          state,
          journal,
          snapshot,
          snapshotFile,
          shelf: new ArchiveShelf(join(this.#dir, "archive"), this.#cacheMonths),
          compactor: new Compactor(
            this.#dir,
            { state, journal, snapshot, snapshotFile },
            { floorBytes: this.#compactAfterBytes, ratio: this.#compactionRatio },
            this.#onBackgroundError,
          ),
          release,
        };
      } catch (e) {
        await release();
        throw e;
      }
      this.#phase = "open";
    } catch (e) {
      this.#phase = "new";
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.#phase !== "open") return;
    this.#phase = "closing";
    const o = this.#o!;
    await this.#archiving.catch(() => undefined);
    await o.compactor.idle();
    await o.journal.close();
    await o.release();
    this.#phase = "closed";
  }

  create(period: string, build: (seq: number) => NewTicket): Promise<TicketRecord> {
    try {
      const o = this.#writable();
      const seq = (o.state.counters.get(period) ?? 0) + 1;
      const { events, outbox } = build(seq);
      const first = events[0];
      if (first?.type !== "created") throw new Error("a new ticket's first event must be `created`");
      const { number } = first;
      if (o.state.tickets.has(number) || o.state.archived.has(number))
        throw new Error(`ticket ${number} already exists; the numbering of period ${period} is off`);
      const state = fold(events);
      const origin = originKey(state.origin);
      const existing = origin === undefined ? undefined : o.state.origins.get(origin);
      if (existing !== undefined) {
        return this.get(existing).then((record) => {
          if (!record) throw new Error(`origin index names ${existing}, which the store lacks`);
          throw new DuplicateOriginError(record);
        });
      }
      const ops: Op[] = [
        { t: "counter", period, value: seq },
        { t: "events", number, after: 0, events },
        ...this.#rowOps(o, outbox),
      ];
      return this.#commit(o, ops).then((changed) => changed.find((r) => r.state.number === number)!);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async append(
    number: string,
    expectedSeq: number,
    events: readonly TicketEvent[],
    outbox: readonly OutboxIntent[] = [],
  ): Promise<TicketRecord> {
    let o = this.#writable();
    let at = this.#locate(o, number);
    // only a ticket in an archive file not yet read waits; everything else is decided in this tick
    while (at?.kind === "cold") {
      const month = await o.shelf.load(at.month);
      o = this.#writable();
      at = this.#locate(o, number, at.month, month);
    }
    if (!at) throw notFound(number);
    if (at.record.state.seq !== expectedSeq) throw new StaleWriteError(at.record);
    if (events.length === 0) throw new Error("append needs at least one event");
    events.reduce(evolve, at.record.state);
    const ops: Op[] = [];
    if (at.kind === "archived") ops.push({ t: "restore", number, events: at.record.events });
    ops.push({ t: "events", number, after: expectedSeq, events }, ...this.#rowOps(o, outbox));
    const changed = await this.#commit(o, ops);
    return changed.find((r) => r.state.number === number)!;
  }

  enqueue(intents: readonly OutboxIntent[]): Promise<number> {
    try {
      const o = this.#writable();
      const ops = this.#rowOps(o, intents);
      if (ops.length === 0) return Promise.resolve(0);
      return this.#commit(o, ops).then(() => ops.length);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async get(number: string): Promise<TicketRecord | undefined> {
    let o = this.#readable();
    let at = this.#locate(o, number);
    while (at?.kind === "cold") {
      const month = await o.shelf.load(at.month);
      o = this.#readable();
      at = this.#locate(o, number, at.month, month);
    }
    return at?.record;
  }

  async list(query: TicketQuery): Promise<TicketPage> {
    let o = this.#readable();
    if (!query.includeArchived || !mayMatchArchived(query) || o.state.archived.size === 0) {
      const { state } = o;
      return pageInOrder(state.oldestFirst(), (n) => state.tickets.get(n), query);
    }
    const loaded = new Map<string, Month>();
    for (;;) {
      const missing = [...new Set(o.state.archived.values())].filter((m) => !loaded.has(m));
      if (missing.length === 0) break;
      for (const m of missing) loaded.set(m, o.shelf.peek(m) ?? (await o.shelf.load(m)));
      o = this.#readable();
    }
    const { state } = o;
    const archivedRecord = (n: string) => {
      const month = state.archived.get(n);
      return month === undefined ? undefined : loaded.get(month)?.get(n);
    };
    return mergePages(
      pageInOrder(state.oldestFirst(), (n) => state.tickets.get(n), query),
      pageInOrder(this.#archivedOrder(state, loaded), archivedRecord, query),
      query,
    );
  }

  /** Archived tickets' positions, oldest first: built when the archive changed since the last list, then kept. */
  #archiveIndex: { state: HotState; changes: number; order: Position[] } | undefined;

  #archivedOrder(state: HotState, loaded: ReadonlyMap<string, Month>): readonly Position[] {
    const known = this.#archiveIndex;
    if (known?.state === state && known.changes === state.archivedChanges) return known.order;
    const order: Position[] = [];
    for (const [month, records] of loaded)
      for (const [number, record] of records)
        if (state.archived.get(number) === month) order.push(positionOf(record));
    order.sort((a, b) => newestFirst(b, a));
    this.#archiveIndex = { state, changes: state.archivedChanges, order };
    return order;
  }

  archive(resolvedBefore: string): Promise<number> {
    const run = this.#archiving.catch(() => undefined).then(() => this.#archive(resolvedBefore));
    this.#archiving = run;
    return run;
  }

  async dueTickets(now: string, limit: number): Promise<readonly TicketRecord[]> {
    const at = Date.parse(now);
    if (Number.isNaN(at)) throw new Error(`dueTickets: not an instant: ${now}`);
    const { state } = this.#readable();
    return state.due.due(at, Math.max(0, limit)).map((number) => state.tickets.get(number)!);
  }

  async nextDueAt(): Promise<string | undefined> {
    const next = this.#readable().state.due.next();
    return next === undefined ? undefined : new Date(next).toISOString();
  }

  async openCountsByOwner(department: string): Promise<Readonly<Record<string, number>>> {
    return Object.fromEntries(this.#readable().state.openLoad.get(department) ?? []);
  }

  async dueOutbox(now: string, limit: number): Promise<readonly OutboxItem[]> {
    const at = Date.parse(now);
    if (Number.isNaN(at)) throw new Error(`dueOutbox: not an instant: ${now}`);
    return this.#readable().state.outbox.due(at, limit);
  }

  async settleOutbox(key: string, outcome: OutboxOutcome): Promise<void> {
    const o = this.#writable();
    const row = o.state.outbox.get(key);
    if (!row) throw new Error(`no outbox row with key ${key}`);
    if (row.deliveredAt !== undefined) return;
    const ops: Op[] = [{ t: "row", row: settledRow(row, outcome) }];
    const prune = o.state.outbox.prunable(this.#clock.now().getTime() - this.#retentionMs);
    if (prune.length > 0) ops.push({ t: "prune", keys: prune });
    await this.#commit(o, ops);
  }

  async getDoc(collection: string, id: string): Promise<StoredDoc | undefined> {
    checkDocKey(collection, id);
    return this.#readable().state.doc(collection, id);
  }

  async putDoc(
    collection: string,
    id: string,
    expectedRev: number,
    data: Readonly<Record<string, unknown>>,
    outbox: readonly OutboxIntent[] = [],
  ): Promise<StoredDoc> {
    checkDocKey(collection, id);
    const o = this.#writable();
    const current = o.state.doc(collection, id);
    if ((current?.rev ?? 0) !== expectedRev) throw new DocConflictError(collection, id, current);
    const doc: StoredDoc = Object.freeze({
      collection,
      id,
      rev: expectedRev + 1,
      updatedAt: this.#clock.now().toISOString(),
      data: structuredClone(data),
    });
    await this.#commit(o, [{ t: "doc", collection, id, doc }, ...this.#rowOps(o, outbox)]);
    return doc;
  }

  async deleteDoc(collection: string, id: string, expectedRev: number): Promise<void> {
    checkDocKey(collection, id);
    const o = this.#writable();
    const current = o.state.doc(collection, id);
    if (!current || current.rev !== expectedRev) throw new DocConflictError(collection, id, current);
    await this.#commit(o, [{ t: "doc", collection, id, doc: null }]);
  }

  async listDocs(
    collection: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<DocPage> {
    if (!DOC_COLLECTION.test(collection))
      throw new Error(`not a doc collection name: ${JSON.stringify(collection)}`);
    const limit = Math.max(1, Math.min(1000, Math.floor(page.limit)));
    const docs = this.#readable().state.docs.get(collection) ?? new Map<string, StoredDoc>();
    const ids = [...docs.keys()].filter((id) => page.cursor === undefined || id > page.cursor).sort();
    const items = ids.slice(0, limit).map((id) => docs.get(id)!);
    return ids.length > limit ? { items, nextCursor: items.at(-1)!.id } : { items };
  }

  onChange(listener: (changed: readonly TicketRecord[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The doc collections that hold at least one doc (for copying the store elsewhere). */
  docCollections(): string[] {
    return [...this.#readable().state.docs].filter(([, docs]) => docs.size > 0).map(([name]) => name);
  }

  /** Figures for tests, benchmarks and health checks. */
  stats(): LowdbStoreStats {
    const o = this.#readable();
    return {
      seq: o.state.seq,
      hot: o.state.tickets.size,
      archived: o.state.archived.size,
      outbox: o.state.outbox.size,
      journalBytes: o.journal.bytes,
      snapshotBytes: o.snapshotFile.bytes,
      snapshotSeq: o.snapshot.data.lastSeq,
      compactions: o.compactor.count,
      compacting: o.compactor.running,
      fsyncs: o.journal.fsyncs,
      flushes: o.journal.flushes,
    };
  }

  #readable(): Opened {
    if (this.#phase !== "open" && this.#phase !== "closing")
      throw new StoreClosedError(this.#dir, this.#phase);
    return this.#o!;
  }

  #writable(): Opened {
    if (this.#phase !== "open") throw new StoreClosedError(this.#dir, this.#phase);
    const o = this.#o!;
    if (o.journal.failure !== undefined) throw new StoreFailedError(this.#dir, o.journal.failure);
    if (this.#broken !== undefined) throw new StoreFailedError(this.#dir, this.#broken);
    return o;
  }

  #locate(o: Opened, number: string, loadedMonth?: string, loaded?: Month): Located | undefined {
    const hot = o.state.tickets.get(number);
    if (hot) return { kind: "hot", record: hot };
    const month = o.state.archived.get(number);
    if (month === undefined) return undefined;
    const records = month === loadedMonth ? loaded : o.shelf.peek(month);
    if (!records) return { kind: "cold", month };
    const record = records.get(number);
    if (!record) throw new Error(`archive ${month} lacks ticket ${number}, which the index places there`);
    return { kind: "archived", record, month };
  }

  /** New outbox rows for intents whose key is not known yet (the first of duplicates wins). */
  #rowOps(o: Opened, intents: readonly OutboxIntent[] = []): Op[] {
    const now = this.#clock.now().toISOString();
    const seen = new Set<string>();
    const ops: Op[] = [];
    for (const intent of intents) {
      if (o.state.outbox.has(intent.key) || seen.has(intent.key)) continue;
      seen.add(intent.key);
      ops.push({ t: "row", row: rowFromIntent(intent, now) });
    }
    return ops;
  }

  /** Applies in memory now, resolves once durable (then listeners hear of it). */
  #commit(o: Opened, ops: readonly Op[]): Promise<TicketRecord[]> {
    const entry = { seq: o.state.seq + 1, ops };
    let changed: TicketRecord[];
    try {
      changed = o.state.apply(entry);
    } catch (e) {
      // writes are checked before they get here, so this is a bug; stop before it reaches the disk
      this.#broken = e;
      throw e;
    }
    return o.journal.append(entry).then(
      () => {
        if (changed.length > 0 || ops.some((op) => op.t === "row")) this.#notify(changed);
        if (this.#phase === "open") o.compactor.maybe();
        return changed;
      },
      (e) => {
        throw new StoreFailedError(this.#dir, e);
      },
    );
  }

  #notify(changed: readonly TicketRecord[]): void {
    for (const listener of this.#listeners) {
      try {
        listener(changed);
      } catch (e) {
        this.#onBackgroundError(e);
      }
    }
  }

  async #archive(resolvedBefore: string): Promise<number> {
    const cutoff = Date.parse(resolvedBefore);
    if (Number.isNaN(cutoff)) throw new Error(`archive: not an instant: ${resolvedBefore}`);
    let o = this.#writable();
    const byMonth = new Map<string, TicketRecord[]>();
    for (const record of o.state.tickets.values()) {
      const { status, resolvedAt, nextDueAt } = record.state;
      if (status !== "resolved" || resolvedAt === undefined || Date.parse(resolvedAt) >= cutoff) continue;
      // a stage still to fire (a survey, a remedy) keeps the ticket where the scheduler looks
      if (nextDueAt !== undefined) continue;
      const month = monthOf(resolvedAt);
      const group = byMonth.get(month);
      if (group) group.push(record);
      else byMonth.set(month, [record]);
    }
    // archive files first; the hot side follows and stays the source of truth (see archive.ts)
    for (const [month, records] of byMonth) await o.shelf.put(month, records);
    o = this.#writable();
    const ops: Op[] = [];
    for (const [month, records] of byMonth)
      for (const r of records) {
        // a ticket changed while the files were written stays hot; its archive copy is never read
        if (o.state.tickets.get(r.state.number) === r)
          ops.push({ t: "archive", number: r.state.number, month, seq: r.state.seq });
      }
    if (ops.length === 0) return 0;
    await this.#commit(o, ops);
    // the hot set shrank by more than half: a fresh snapshot now keeps open and compaction cheap
    if (ops.length > o.state.tickets.size && this.#phase === "open") o.compactor.maybe(true);
    return ops.length;
  }
}
