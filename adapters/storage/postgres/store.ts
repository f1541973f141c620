import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import postgres, { type PendingQuery, type Row, type Sql, type TransactionSql } from "postgres";
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
import type { TicketState } from "../../../core/ticket/state.ts";
import { evolve, fold } from "../../../core/ticket/state.ts";
import { Announcer, ChangeFeed } from "./change-feed.ts";
import { migrate } from "./migrate.ts";
import { decodeCursor, encodeCursor, pageLimit } from "./paging.ts";
import {
  columnsOf,
  containsPattern,
  numberKey,
  type OutboxRow,
  originKey,
  outboxItem,
  outboxRows,
  phoneHashes,
  searchText,
} from "./rows.ts";

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  readonly url: string;
  /** A schema to keep every table in (tests use one per store); default: the connection's search_path. */
  readonly schema?: string;
  /** Pool size. Default 10. */
  readonly max?: number;
  readonly clock?: Clock;
  /** Apply pending migrations on open (under the advisory lock). Default true. */
  readonly migrate?: boolean;
  /** Hear other instances' writes (LISTEN) and pass them to onChange listeners. Default true. */
  readonly listen?: boolean;
  /**
   * How long work this instance claims (a recipient's outbox rows, a ticket's due stages) stays its own,
   * measured by the database's clock and renewed by each claim: if the instance dies, another takes the
   * work over after this long. Default 60 s.
   */
  readonly leaseMs?: number;
  /** Delivered outbox rows are kept this long (their keys stay idempotent). Default 7 days. */
  readonly deliveredRetentionMs?: number;
  readonly onBackgroundError?: (error: unknown) => void;
  /** Sees every statement sent, with its parameters (benchmarks EXPLAIN exactly what the store runs). */
  readonly onQuery?: (text: string, params: readonly unknown[]) => void;
}

const DELIVERED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60_000;
const UNIQUE_VIOLATION = "23505";
const RECENT = 2000;

interface RecordRow {
  readonly state: TicketState;
  readonly events: TicketEvent[] | null;
}

interface DocRow {
  readonly collection: string;
  readonly id: string;
  readonly rev: number;
  readonly updated_at: Date;
  readonly data: Record<string, unknown>;
}

const storedDoc = (r: DocRow): StoredDoc => ({
  collection: r.collection,
  id: r.id,
  rev: r.rev,
  updatedAt: r.updated_at.toISOString(),
  data: r.data,
});

const toRecord = (r: RecordRow): TicketRecord => ({ state: r.state, events: r.events ?? [] });

function instant(iso: string, what: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`${what}: not an instant: ${iso}`);
  return new Date(t).toISOString();
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The PostgreSQL store, for several closeloop instances on one database. A ticket is a row in `tickets`
 * (its state as jsonb, the fields queries need as indexed columns) and its events in `ticket_events`;
 * the outbox is its own table. Every command is one transaction: the counter bump and the insert of a new
 * ticket, or the guarded UPDATE (WHERE seq = expected) with its events, contacts, outbox rows and the
 * NOTIFY that tells the other instances, in a single statement.
 */
export class PostgresTicketStore implements TicketStore {
  /** This instance's name in leases and change notes. */
  readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #o: PostgresStoreOptions;
  readonly #clock: Clock;
  readonly #leaseMs: number;
  readonly #retentionMs: number;
  readonly #channel: string;
  readonly #onBackgroundError: (error: unknown) => void;
  readonly #listeners = new Set<(changed: readonly TicketRecord[]) => void>();
  #phase: "new" | "opening" | "open" | "closing" | "closed" = "new";
  #sql: Sql | undefined;
  #feed: ChangeFeed | undefined;
  #announcer: { readonly sql: Sql; readonly announcer: Announcer } | undefined;
  #lastPrune = 0;
  /**
   * Tickets as last read or written here. Events are only ever appended, so a ticket at a given seq is the
   * same whoever reads it: an append whose expected seq matches the copy here needs no read first (the
   * guarded UPDATE still decides, and a miss reads afresh).
   */
  readonly #recent = new Map<string, TicketRecord>();
  #lastLeaseCleanup = 0;

  constructor(options: PostgresStoreOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#retentionMs = options.deliveredRetentionMs ?? DELIVERED_RETENTION_MS;
    this.#channel = `closeloop:${options.schema ?? "default"}`;
    this.#onBackgroundError =
      options.onBackgroundError ?? ((e) => console.error("closeloop postgres store:", e));
  }

  /** The connection pool, for tools (migrate, bench, tests) that read the same tables. */
  get sql(): Sql {
    if (!this.#sql) throw new Error(`the postgres store is ${this.#phase}`);
    return this.#sql;
  }

  async open(): Promise<void> {
    if (this.#phase !== "new") throw new Error(`the postgres store is already ${this.#phase}`);
    this.#phase = "opening";
    const { schema } = this.#o;
    const sql = postgres(this.#o.url, {
      max: this.#o.max ?? 10,
      onnotice: () => {},
      ...(this.#o.onQuery
        ? { debug: (_: number, text: string, params: unknown[]) => this.#o.onQuery!(text, params) }
        : {}),
      connection: {
        application_name: "closeloop",
        ...(schema ? { search_path: `${quoteIdent(schema)}, public` } : {}),
      },
    });
    try {
      if (schema) await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      if (this.#o.migrate ?? true) await migrate(sql);
      if (this.#o.listen ?? true) {
        const feed = new ChangeFeed({
          sql,
          channel: this.#channel,
          self: this.instanceId,
          onBatch: (numbers, rowsOnly) => this.#remote(numbers, rowsOnly),
          onError: this.#onBackgroundError,
        });
        await feed.start();
        this.#feed = feed;
      }
      const notes = postgres(this.#o.url, {
        max: 1,
        onnotice: () => {},
        connection: { application_name: "closeloop-notify", synchronous_commit: "off" },
      });
      this.#announcer = {
        sql: notes,
        announcer: new Announcer({
          sql: notes,
          channel: this.#channel,
          self: this.instanceId,
          onError: this.#onBackgroundError,
        }),
      };
    } catch (e) {
      this.#phase = "new";
      await sql.end({ timeout: 1 }).catch(() => undefined);
      throw e;
    }
    this.#sql = sql;
    this.#phase = "open";
  }

  async close(): Promise<void> {
    if (this.#phase !== "open") return;
    this.#phase = "closing";
    await this.#announcer?.announcer.drain();
    await this.#announcer?.sql.end({ timeout: 5 });
    await this.#feed?.stop();
    await this.#sql?.end({ timeout: 5 });
    this.#phase = "closed";
  }

  async create(period: string, build: (seq: number) => NewTicket): Promise<TicketRecord> {
    const sql = this.#writable();
    let record: TicketRecord;
    let origin: string | null = null;
    try {
      record = await sql.begin(async (tx) => {
        const [counter] = await tx<{ value: number }[]>`
          INSERT INTO ticket_counters (period, value) VALUES (${period}, 1)
          ON CONFLICT (period) DO UPDATE SET value = ticket_counters.value + 1
          RETURNING value`;
        const { events, outbox } = build(counter!.value);
        if (events[0]?.type !== "created") throw new Error("a new ticket's first event must be `created`");
        const state = fold(events);
        origin = originKey(state.origin);
        await this.#insert(tx, state, events, outbox ?? []);
        return { state, events: [...events] };
      });
    } catch (e) {
      if (isUnique(e, "tickets_origin_key_key") && origin !== null) {
        const [existing] = await sql<RecordRow[]>`
          SELECT ${this.#recordColumns(sql)} FROM tickets t WHERE t.origin_key = ${origin}`;
        if (existing) throw new DuplicateOriginError(toRecord(existing));
      }
      if (isUnique(e, "tickets_pkey"))
        throw new Error(`ticket already exists; the numbering of period ${period} is off`, { cause: e });
      throw e;
    }
    this.#changed(record.state.number, [record]);
    return record;
  }

  async #insert(
    tx: TransactionSql,
    state: TicketState,
    events: readonly TicketEvent[],
    outbox: readonly OutboxIntent[],
  ): Promise<void> {
    const c = columnsOf(state);
    const rows = outboxRows(outbox, this.#now());
    await tx`
      WITH t AS (
        INSERT INTO tickets (number, number_key, seq, version, status, priority, department, owner,
          created_at, updated_at, resolved_at, response_due, resolution_due, next_due_at, origin_key, state)
        VALUES (${c.number}, ${c.number_key}, ${c.seq}, ${c.version}, ${c.status}, ${c.priority},
          ${c.department}, ${c.owner}, ${c.created_at}, ${c.updated_at}, ${c.resolved_at}, ${c.response_due},
          ${c.resolution_due}, ${c.next_due_at}, ${c.origin_key}, ${JSON.stringify(state)}::text::jsonb)
        RETURNING number
      ), e AS (
        INSERT INTO ticket_events (number, seq, event)
        SELECT t.number, x.ord::int, x.e FROM t,
          jsonb_array_elements(${JSON.stringify(events)}::text::jsonb) WITH ORDINALITY AS x(e, ord)
      ), s AS (
        INSERT INTO ticket_search (number, text) SELECT t.number, ${searchText(state)} FROM t
      ), c AS (
        INSERT INTO ticket_contacts (hash, number)
        SELECT h, t.number FROM t, unnest(${phoneHashes(state)}::text[]) AS h
      ), ${this.#outboxInsert(tx, rows)}
      SELECT count(*) FROM t`;
  }

  /** `o AS (INSERT ... ON CONFLICT (key) DO NOTHING RETURNING key)`: new rows only, as one CTE. */
  #outboxInsert(sql: Sql | TransactionSql, rows: readonly Record<string, unknown>[]): PendingQuery<Row[]> {
    return sql`o AS (
      INSERT INTO outbox (key, kind, recipient, ticket, payload, not_before, created_at, attempts, next_attempt_at)
      SELECT r.key, r.kind, r.recipient, r.ticket, r.payload, r.not_before, r.created_at, 0, r.next_attempt_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) AS r(key text, kind text, recipient text,
        ticket text, payload jsonb, not_before timestamptz, created_at timestamptz, next_attempt_at timestamptz)
      ON CONFLICT (key) DO NOTHING
      RETURNING key
    )`;
  }

  async append(
    number: string,
    expectedSeq: number,
    events: readonly TicketEvent[],
    outbox: readonly OutboxIntent[] = [],
  ): Promise<TicketRecord> {
    const sql = this.#writable();
    const cached = this.#recent.get(number);
    const current = cached?.state.seq === expectedSeq ? cached : await this.get(number);
    if (!current) throw notFound(number);
    if (current.state.seq !== expectedSeq) throw new StaleWriteError(current);
    if (events.length === 0) throw new Error("append needs at least one event");
    const state = events.reduce(evolve, current.state);
    const c = columnsOf(state);
    const known = new Set(phoneHashes(current.state));
    const hashes = phoneHashes(state).filter((h) => !known.has(h));
    const rows = outboxRows(outbox, this.#now());
    const [result] = await sql<{ updated: string }[]>`
      WITH u AS (
        UPDATE tickets SET seq = ${c.seq}, version = ${c.version}, status = ${c.status},
          priority = ${c.priority}, department = ${c.department}, owner = ${c.owner},
          updated_at = ${c.updated_at}, resolved_at = ${c.resolved_at}, response_due = ${c.response_due},
          resolution_due = ${c.resolution_due}, next_due_at = ${c.next_due_at}, archived = false,
          state = ${JSON.stringify(state)}::text::jsonb
        WHERE number = ${number} AND seq = ${expectedSeq}
        RETURNING number
      ), e AS (
        INSERT INTO ticket_events (number, seq, event)
        SELECT u.number, ${expectedSeq}::int + x.ord::int, x.e FROM u,
          jsonb_array_elements(${JSON.stringify(events)}::text::jsonb) WITH ORDINALITY AS x(e, ord)
      ), c AS (
        INSERT INTO ticket_contacts (hash, number)
        SELECT h, u.number FROM u, unnest(${hashes}::text[]) AS h ON CONFLICT DO NOTHING
      ), ${this.#outboxInsertAfter(sql, rows)}
      SELECT (SELECT count(*) FROM u) AS updated`;
    if (Number(result!.updated) === 0) {
      const now = await this.get(number);
      if (!now) throw notFound(number);
      throw new StaleWriteError(now);
    }
    const record = this.#remember({ state, events: [...current.events, ...events] });
    this.#changed(number, [record]);
    return record;
  }

  /** The outbox CTE of an append: rows only when the guarded UPDATE (`u`) went through. */
  #outboxInsertAfter(sql: Sql, rows: readonly Record<string, unknown>[]): PendingQuery<Row[]> {
    return sql`o AS (
      INSERT INTO outbox (key, kind, recipient, ticket, payload, not_before, created_at, attempts, next_attempt_at)
      SELECT r.key, r.kind, r.recipient, r.ticket, r.payload, r.not_before, r.created_at, 0, r.next_attempt_at
      FROM u, jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) AS r(key text, kind text, recipient text,
        ticket text, payload jsonb, not_before timestamptz, created_at timestamptz, next_attempt_at timestamptz)
      ON CONFLICT (key) DO NOTHING
      RETURNING key
    )`;
  }

  async get(number: string): Promise<TicketRecord | undefined> {
    const sql = this.#readable();
    const [row] = await sql<RecordRow[]>`
      SELECT ${this.#recordColumns(sql)} FROM tickets t WHERE t.number = ${number}`;
    return row ? this.#remember(toRecord(row)) : undefined;
  }

  /** Several tickets at once (missing numbers are left out). */
  async getMany(numbers: readonly string[]): Promise<TicketRecord[]> {
    const sql = this.#readable();
    const rows = await sql<RecordRow[]>`
      SELECT ${this.#recordColumns(sql)} FROM tickets t WHERE t.number = ANY(${[...numbers]}::text[])`;
    return rows.map(toRecord);
  }

  #recordColumns(sql: Sql): PendingQuery<Row[]> {
    return sql`t.state,
      (SELECT jsonb_agg(e.event ORDER BY e.seq) FROM ticket_events e WHERE e.number = t.number) AS events`;
  }

  async list(query: TicketQuery): Promise<TicketPage> {
    const sql = this.#readable();
    const limit = pageLimit(query.limit);
    const where = listConditions(sql, query).reduce((acc, c) => sql`${acc} AND ${c}`);
    type Listed = RecordRow & { created_at: Date; number: string };
    // Overdue tickets are found from their deadline index first and then sorted: walking the newest-first
    // index and filtering (what the planner otherwise picks) reads every active ticket when few are overdue.
    const rows =
      query.overdueAt === undefined
        ? await sql<Listed[]>`
            SELECT ${this.#recordColumns(sql)}, t.created_at, t.number
            FROM tickets t WHERE ${where}
            ORDER BY t.created_at DESC, t.number_key DESC
            LIMIT ${limit + 1}`
        : await sql<Listed[]>`
            WITH hit AS MATERIALIZED (
              SELECT t.number, t.created_at, t.number_key FROM tickets t WHERE ${where}
            ), page AS (
              SELECT * FROM hit ORDER BY created_at DESC, number_key DESC LIMIT ${limit + 1}
            )
            SELECT ${this.#recordColumns(sql)}, page.created_at, page.number
            FROM page JOIN tickets t ON t.number = page.number
            ORDER BY page.created_at DESC, page.number_key DESC`;
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(toRecord),
      ...(rows.length > limit && last
        ? { nextCursor: encodeCursor({ at: last.created_at.getTime(), number: last.number }) }
        : {}),
    };
  }

  async openCountsByOwner(department: string): Promise<Readonly<Record<string, number>>> {
    const sql = this.#readable();
    const rows = await sql<{ owner: string; n: number }[]>`
      SELECT t.owner, count(*)::int AS n FROM tickets t
      WHERE NOT t.archived AND t.department = ${department}
        AND t.status IN ('pending', 'in_progress') AND t.owner IS NOT NULL
      GROUP BY t.owner`;
    return Object.fromEntries(rows.map((r) => [r.owner, r.n]));
  }

  async archive(resolvedBefore: string): Promise<number> {
    const sql = this.#writable();
    const cutoff = instant(resolvedBefore, "archive");
    // a stage still to fire (a survey, a remedy) keeps the ticket where the scheduler looks
    const result = await sql`
      UPDATE tickets SET archived = true
      WHERE resolved_at < ${cutoff} AND status = 'resolved' AND NOT archived AND next_due_at IS NULL`;
    return result.count;
  }

  async dueTickets(now: string, limit: number): Promise<readonly TicketRecord[]> {
    const sql = this.#readable();
    const at = instant(now, "dueTickets");
    const rows = await sql<RecordRow[]>`
      SELECT ${this.#recordColumns(sql)} FROM tickets t
      WHERE t.next_due_at <= ${at}
      ORDER BY t.next_due_at, t.number
      LIMIT ${Math.max(0, Math.floor(limit))}`;
    return rows.map(toRecord);
  }

  /**
   * Like dueTickets, but each ticket returned is leased to this instance: another instance's claim skips it
   * until the lease lapses, so several instances sweep side by side without firing the same ticket at once.
   * (The guarded append is what makes a stage fire exactly once; the lease only saves the wasted work.)
   */
  async claimDueTickets(now: string, limit: number): Promise<readonly TicketRecord[]> {
    const sql = this.#writable();
    const at = instant(now, "claimDueTickets");
    await this.#cleanLeases(sql);
    const rows = await sql<RecordRow[]>`
      WITH cand AS (
        SELECT t.number FROM tickets t
        WHERE t.next_due_at <= ${at}
          AND NOT EXISTS (SELECT 1 FROM sweep_leases l
            WHERE l.number = t.number AND l.holder <> ${this.instanceId} AND l.until > clock_timestamp())
        ORDER BY t.next_due_at, t.number
        LIMIT ${Math.max(0, Math.floor(limit))}
      ), mine AS (
        INSERT INTO sweep_leases (number, holder, until)
        SELECT number, ${this.instanceId}, clock_timestamp() + ${this.#leaseMs} * interval '1 millisecond'
        FROM cand
        ON CONFLICT (number) DO UPDATE SET holder = excluded.holder, until = excluded.until
        WHERE sweep_leases.holder = excluded.holder OR sweep_leases.until <= clock_timestamp()
        RETURNING number
      )
      SELECT ${this.#recordColumns(sql)} FROM tickets t JOIN mine ON mine.number = t.number
      ORDER BY t.next_due_at, t.number`;
    return rows.map(toRecord);
  }

  async nextDueAt(): Promise<string | undefined> {
    const sql = this.#readable();
    const [row] = await sql<{ at: Date | null }[]>`SELECT min(next_due_at) AS at FROM tickets`;
    return row?.at ? row.at.toISOString() : undefined;
  }

  async enqueue(intents: readonly OutboxIntent[]): Promise<number> {
    const sql = this.#writable();
    const rows = outboxRows(intents, this.#now());
    if (rows.length === 0) return 0;
    const [result] = await sql<{ added: string }[]>`
      WITH ${this.#outboxInsert(sql, rows)} SELECT count(*) AS added FROM o`;
    const added = Number(result!.added);
    if (added > 0) this.#changed(undefined, []);
    return added;
  }

  async dueOutbox(now: string, limit: number): Promise<readonly OutboxItem[]> {
    const sql = this.#readable();
    const at = instant(now, "dueOutbox");
    const rows = await sql<OutboxRow[]>`
      SELECT * FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= ${at}
      ORDER BY next_attempt_at, key LIMIT ${Math.max(0, Math.floor(limit))}`;
    return rows.map(outboxItem);
  }

  /**
   * Like dueOutbox, but only rows of recipients this instance holds: each claim leases the recipients of
   * the due rows no other live instance holds (and renews its own that still have rows waiting), so a
   * person's notifications go out from one instance at a time, in order, and a dead instance's recipients
   * pass to another once its leases lapse.
   */
  async claimOutbox(now: string, limit: number): Promise<readonly OutboxItem[]> {
    const sql = this.#writable();
    const at = instant(now, "claimOutbox");
    const n = Math.max(0, Math.floor(limit));
    await this.#cleanLeases(sql);
    const rows = await sql<OutboxRow[]>`
      WITH due AS (
        SELECT o.recipient FROM outbox o
        WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ${at}
          AND NOT EXISTS (SELECT 1 FROM outbox_leases l
            WHERE l.recipient = o.recipient AND l.holder <> ${this.instanceId} AND l.until > clock_timestamp())
        ORDER BY o.next_attempt_at, o.key
        LIMIT ${n}
      ), held AS (
        SELECT l.recipient FROM outbox_leases l
        WHERE l.holder = ${this.instanceId} AND l.until > clock_timestamp()
          AND EXISTS (SELECT 1 FROM outbox o WHERE o.recipient = l.recipient AND o.delivered_at IS NULL)
      ), wanted AS (
        SELECT recipient FROM due UNION SELECT recipient FROM held
      ), mine AS (
        INSERT INTO outbox_leases (recipient, holder, until)
        SELECT recipient, ${this.instanceId}, clock_timestamp() + ${this.#leaseMs} * interval '1 millisecond'
        FROM wanted
        ON CONFLICT (recipient) DO UPDATE SET holder = excluded.holder, until = excluded.until
        WHERE outbox_leases.holder = excluded.holder OR outbox_leases.until <= clock_timestamp()
        RETURNING recipient
      )
      SELECT o.* FROM outbox o JOIN mine ON mine.recipient = o.recipient
      WHERE o.delivered_at IS NULL AND o.next_attempt_at <= ${at}
      ORDER BY o.next_attempt_at, o.key
      LIMIT ${n}`;
    return rows.map(outboxItem);
  }

  async settleOutbox(key: string, outcome: OutboxOutcome): Promise<void> {
    const sql = this.#writable();
    const delivered = "deliveredAt" in outcome;
    // before the update, as the embedded store does: a row delivered now stays for at least one prune
    await this.#prune(sql);
    const [result] = await sql<{ updated: string; known: boolean }[]>`
      WITH u AS (
        UPDATE outbox SET attempts = attempts + 1,
          delivered_at = ${delivered ? instant(outcome.deliveredAt, "deliveredAt") : null},
          next_attempt_at = ${delivered ? sql`next_attempt_at` : sql`${instant(outcome.retryAt, "retryAt")}`},
          last_error = ${delivered ? sql`last_error` : sql`${outcome.error}`}
        WHERE key = ${key} AND delivered_at IS NULL
        RETURNING key
      )
      SELECT (SELECT count(*) FROM u) AS updated, EXISTS (SELECT 1 FROM outbox WHERE key = ${key}) AS known`;
    if (Number(result!.updated) === 0 && !result!.known) throw new Error(`no outbox row with key ${key}`);
  }

  async getDoc(collection: string, id: string): Promise<StoredDoc | undefined> {
    checkDocKey(collection, id);
    const sql = this.#readable();
    const [row] = await sql<DocRow[]>`SELECT * FROM docs WHERE collection = ${collection} AND id = ${id}`;
    return row && storedDoc(row);
  }

  async putDoc(
    collection: string,
    id: string,
    expectedRev: number,
    data: Readonly<Record<string, unknown>>,
    outbox: readonly OutboxIntent[] = [],
  ): Promise<StoredDoc> {
    checkDocKey(collection, id);
    const sql = this.#writable();
    const now = this.#now();
    const rows = outboxRows(outbox, now);
    const json = JSON.stringify(data);
    const written = await sql.begin(async (tx) => {
      const [row] =
        expectedRev === 0
          ? await tx<DocRow[]>`
              INSERT INTO docs (collection, id, rev, updated_at, data)
              VALUES (${collection}, ${id}, 1, ${now}, ${json}::text::jsonb)
              ON CONFLICT DO NOTHING RETURNING *`
          : await tx<DocRow[]>`
              UPDATE docs SET rev = rev + 1, updated_at = ${now}, data = ${json}::text::jsonb
              WHERE collection = ${collection} AND id = ${id} AND rev = ${expectedRev} RETURNING *`;
      if (!row) return undefined;
      if (rows.length > 0) await tx`WITH ${this.#outboxInsert(tx, rows)} SELECT count(*) FROM o`;
      return row;
    });
    if (!written) throw new DocConflictError(collection, id, await this.getDoc(collection, id));
    if (rows.length > 0) this.#changed(undefined, []);
    return storedDoc(written);
  }

  async deleteDoc(collection: string, id: string, expectedRev: number): Promise<void> {
    checkDocKey(collection, id);
    const sql = this.#writable();
    const gone = await sql`
      DELETE FROM docs WHERE collection = ${collection} AND id = ${id} AND rev = ${expectedRev} RETURNING id`;
    if (gone.length === 0) throw new DocConflictError(collection, id, await this.getDoc(collection, id));
  }

  async listDocs(
    collection: string,
    page: { readonly limit: number; readonly cursor?: string },
  ): Promise<DocPage> {
    if (!DOC_COLLECTION.test(collection))
      throw new Error(`not a doc collection name: ${JSON.stringify(collection)}`);
    const sql = this.#readable();
    const limit = Math.max(1, Math.min(1000, Math.floor(page.limit)));
    const rows = await sql<DocRow[]>`
      SELECT * FROM docs WHERE collection = ${collection}
      ${page.cursor === undefined ? sql`` : sql`AND id > ${page.cursor}`}
      ORDER BY id LIMIT ${limit + 1}`;
    const items = rows.slice(0, limit).map(storedDoc);
    return rows.length > limit ? { items, nextCursor: items.at(-1)!.id } : { items };
  }

  onChange(listener: (changed: readonly TicketRecord[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivered rows past retention go, at most once a minute per instance. */
  async #prune(sql: Sql): Promise<void> {
    const t = Date.now();
    if (t - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = t;
    const cutoff = new Date(this.#clock.now().getTime() - this.#retentionMs).toISOString();
    await sql`DELETE FROM outbox WHERE delivered_at < ${cutoff}`;
  }

  /** Leases lapsed a while ago say nothing any more. */
  async #cleanLeases(sql: Sql): Promise<void> {
    const t = Date.now();
    if (t - this.#lastLeaseCleanup < PRUNE_EVERY_MS) return;
    this.#lastLeaseCleanup = t;
    await sql`DELETE FROM sweep_leases WHERE until < clock_timestamp() - interval '1 minute'`;
    await sql`DELETE FROM outbox_leases WHERE until < clock_timestamp() - interval '1 minute'`;
  }

  async #remote(numbers: readonly string[], rowsOnly: boolean): Promise<void> {
    if (this.#listeners.size === 0 || this.#phase !== "open") return;
    const records = numbers.length > 0 ? await this.getMany(numbers) : [];
    if (records.length > 0 || rowsOnly) this.#emit(records);
  }

  #remember(record: TicketRecord): TicketRecord {
    const number = record.state.number;
    this.#recent.delete(number);
    this.#recent.set(number, record);
    if (this.#recent.size > RECENT) this.#recent.delete(this.#recent.keys().next().value!);
    return record;
  }

  /** After a commit: this instance's listeners now, the other instances through a NOTIFY. */
  #changed(number: string | undefined, changed: readonly TicketRecord[]): void {
    this.#announcer?.announcer.announce(number);
    this.#emit(changed);
  }

  #emit(changed: readonly TicketRecord[]): void {
    for (const listener of this.#listeners) {
      try {
        listener(changed);
      } catch (e) {
        this.#onBackgroundError(e);
      }
    }
  }

  #now(): string {
    return this.#clock.now().toISOString();
  }

  #readable(): Sql {
    if ((this.#phase !== "open" && this.#phase !== "closing") || !this.#sql)
      throw new Error(`the postgres store is ${this.#phase}`);
    return this.#sql;
  }

  #writable(): Sql {
    if (this.#phase !== "open" || !this.#sql) throw new Error(`the postgres store is ${this.#phase}`);
    return this.#sql;
  }
}

function isUnique(e: unknown, constraint: string): boolean {
  const err = e as { code?: string; constraint_name?: string };
  return err?.code === UNIQUE_VIOLATION && err.constraint_name === constraint;
}

/** The WHERE conditions of a board query; the first is always there, so they join with AND. */
export function listConditions(sql: Sql, query: TicketQuery): PendingQuery<Row[]>[] {
  const conds: PendingQuery<Row[]>[] = [sql`TRUE`];
  if (!query.includeArchived) conds.push(sql`NOT t.archived`);
  if (query.status) conds.push(sql`t.status = ANY(${[...query.status]}::text[])`);
  if (query.department !== undefined) conds.push(sql`t.department = ${query.department}`);
  if (query.owner !== undefined) conds.push(sql`t.owner = ${query.owner}`);
  if (query.priority !== undefined) conds.push(sql`t.priority = ${query.priority}`);
  if (query.overdueAt !== undefined) {
    const at = instant(query.overdueAt, "overdueAt");
    conds.push(sql`t.status <> 'resolved' AND LEAST(t.response_due, t.resolution_due) < ${at}`);
  }
  if (query.phoneHash !== undefined)
    conds.push(sql`t.number IN (SELECT c.number FROM ticket_contacts c WHERE c.hash = ${query.phoneHash})`);
  const q = query.q?.trim().toLowerCase();
  if (q)
    conds.push(
      sql`t.number IN (SELECT s.number FROM ticket_search s WHERE s.text LIKE ${containsPattern(q)})`,
    );
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    conds.push(
      sql`(t.created_at, t.number_key) < (${new Date(after.at).toISOString()}::timestamptz, ${numberKey(after.number)})`,
    );
  }
  return conds;
}
