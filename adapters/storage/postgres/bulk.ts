import { createHash } from "node:crypto";
import type { Sql, TransactionSql } from "postgres";
import type { OutboxItem, StoredDoc, TicketRecord } from "../../../core/ports.ts";
import type { TicketEvent } from "../../../core/ticket/events.ts";
import { columnsOf, phoneHashes, searchText } from "./rows.ts";

/** A ticket to copy in, and whether it belongs to the archive (out of the active set). */
export interface BulkTicket {
  readonly record: TicketRecord;
  readonly archived: boolean;
}

export interface BulkResult {
  readonly inserted: number;
  /** Present already with different events (an earlier copy the source has moved on from): rewritten. */
  readonly replaced: number;
  /** Present already with the same events: left alone. */
  readonly unchanged: number;
  /** Tickets whose events read back from the database differ from the source's. */
  readonly mismatched: readonly string[];
}

/** JSON with object keys sorted, so the same value always gives the same text whatever the key order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? "null" : canonical(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

/** A ticket's checksum: SHA-256 of its events as canonical JSON. */
export const ticketChecksum = (events: readonly TicketEvent[]): string =>
  createHash("sha256").update(canonical(events)).digest("hex");

async function storedEvents(sql: Sql, numbers: readonly string[]): Promise<Map<string, TicketEvent[]>> {
  const rows = await sql<{ number: string; events: TicketEvent[] | null }[]>`
    SELECT t.number,
      (SELECT jsonb_agg(e.event ORDER BY e.seq) FROM ticket_events e WHERE e.number = t.number) AS events
    FROM tickets t WHERE t.number = ANY(${[...numbers]}::text[])`;
  return new Map(rows.map((r) => [r.number, r.events ?? []]));
}

/**
 * Writes a batch of tickets in one transaction: new ones inserted, ones already there with other events
 * replaced, identical ones left alone; then reads every ticket of the batch back and compares checksums.
 * Safe to run again on the same tickets.
 */
export async function importTickets(sql: Sql, batch: readonly BulkTicket[]): Promise<BulkResult> {
  const numbers = batch.map((t) => t.record.state.number);
  const before = await storedEvents(sql, numbers);
  const write: BulkTicket[] = [];
  let replaced = 0;
  for (const t of batch) {
    const existing = before.get(t.record.state.number);
    if (existing && ticketChecksum(existing) === ticketChecksum(t.record.events)) continue;
    if (existing) replaced++;
    write.push(t);
  }
  if (write.length > 0) {
    const stale = write.map((t) => t.record.state.number).filter((n) => before.has(n));
    await sql.begin(async (tx) => {
      if (stale.length > 0) {
        await tx`DELETE FROM ticket_events WHERE number = ANY(${stale}::text[])`;
        await tx`DELETE FROM ticket_search WHERE number = ANY(${stale}::text[])`;
        await tx`DELETE FROM ticket_contacts WHERE number = ANY(${stale}::text[])`;
        await tx`DELETE FROM tickets WHERE number = ANY(${stale}::text[])`;
      }
      await insertTickets(tx, write);
    });
  }
  const after = await storedEvents(sql, numbers);
  const mismatched = batch
    .filter((t) => {
      const stored = after.get(t.record.state.number);
      return !stored || ticketChecksum(stored) !== ticketChecksum(t.record.events);
    })
    .map((t) => t.record.state.number);
  return {
    inserted: write.length - replaced,
    replaced,
    unchanged: batch.length - write.length,
    mismatched,
  };
}

/** Inserts tickets not in the database yet (events, search text, contacts too), in one statement. */
export async function insertTickets(
  sql: Sql | TransactionSql,
  tickets: readonly BulkTicket[],
): Promise<void> {
  if (tickets.length === 0) return;
  const rows = tickets.map(({ record, archived }) => ({
    ...columnsOf(record.state),
    archived,
    state: record.state,
    events: record.events,
    search: searchText(record.state),
    hashes: phoneHashes(record.state),
  }));
  await sql`
    WITH src AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) AS r(
        number text, number_key text, seq int, version int, status text, priority text, department text,
        owner text, created_at timestamptz, updated_at timestamptz, resolved_at timestamptz,
        response_due timestamptz, resolution_due timestamptz, next_due_at timestamptz, origin_key text,
        archived boolean, state jsonb, events jsonb, search text, hashes jsonb)
    ), t AS (
      INSERT INTO tickets (number, number_key, seq, version, status, priority, department, owner,
        created_at, updated_at, resolved_at, response_due, resolution_due, next_due_at, origin_key,
        archived, state)
      SELECT number, number_key, seq, version, status, priority, department, owner, created_at,
        updated_at, resolved_at, response_due, resolution_due, next_due_at, origin_key, archived, state
      FROM src
      RETURNING number
    ), e AS (
      INSERT INTO ticket_events (number, seq, event)
      SELECT src.number, x.ord::int, x.e FROM src, jsonb_array_elements(src.events) WITH ORDINALITY AS x(e, ord)
    ), s AS (
      INSERT INTO ticket_search (number, text) SELECT number, search FROM src
    ), c AS (
      INSERT INTO ticket_contacts (hash, number)
      SELECT h, src.number FROM src, jsonb_array_elements_text(src.hashes) AS h
    )
    SELECT count(*) FROM t`;
}

/** Raises each period's counter to at least `values` (never lowers one: numbers are never reused). */
export async function raiseCounters(sql: Sql, values: ReadonlyMap<string, number>): Promise<void> {
  if (values.size === 0) return;
  await sql`
    INSERT INTO ticket_counters (period, value)
    SELECT * FROM unnest(${[...values.keys()]}::text[], ${[...values.values()]}::int[])
    ON CONFLICT (period) DO UPDATE SET value = GREATEST(ticket_counters.value, excluded.value)`;
}

/** Copies outbox rows as they are (attempts, retry time, delivery); keys already present are left alone. */
export async function importOutbox(sql: Sql, items: readonly OutboxItem[]): Promise<number> {
  if (items.length === 0) return 0;
  const rows = items.map((i) => ({
    key: i.key,
    kind: i.kind,
    recipient: i.recipient,
    ticket: i.ticket,
    payload: i.payload,
    not_before: i.notBefore ?? null,
    created_at: i.createdAt,
    attempts: i.attempts,
    next_attempt_at: i.nextAttemptAt,
    delivered_at: i.deliveredAt ?? null,
    last_error: i.lastError ?? null,
  }));
  const result = await sql`
    INSERT INTO outbox (key, kind, recipient, ticket, payload, not_before, created_at, attempts,
      next_attempt_at, delivered_at, last_error)
    SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) AS r(key text, kind text,
      recipient text, ticket text, payload jsonb, not_before timestamptz, created_at timestamptz, attempts int,
      next_attempt_at timestamptz, delivered_at timestamptz, last_error text)
    ON CONFLICT (key) DO NOTHING`;
  return result.count;
}

/** Copies docs, keeping whichever side has the higher revision; returns how many were written. */
export async function importDocs(sql: Sql, docs: readonly StoredDoc[]): Promise<number> {
  if (docs.length === 0) return 0;
  const rows = docs.map((d) => ({
    collection: d.collection,
    id: d.id,
    rev: d.rev,
    updated_at: d.updatedAt,
    data: d.data,
  }));
  const result = await sql`
    INSERT INTO docs (collection, id, rev, updated_at, data)
    SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) AS r(collection text, id text,
      rev int, updated_at timestamptz, data jsonb)
    ON CONFLICT (collection, id) DO UPDATE SET rev = excluded.rev, updated_at = excluded.updated_at,
      data = excluded.data
    WHERE docs.rev < excluded.rev`;
  return result.count;
}
