import type { OutboxIntent, OutboxItem } from "../../../core/ports.ts";
import type { TicketState } from "../../../core/ticket/state.ts";

/** The columns of a `tickets` row, copied from the state so queries run on indexes, never on jsonb. */
export interface TicketColumns {
  readonly number: string;
  readonly number_key: string;
  readonly seq: number;
  readonly version: number;
  readonly status: string;
  readonly priority: string;
  readonly department: string;
  readonly owner: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly resolved_at: string | null;
  readonly response_due: string | null;
  readonly resolution_due: string | null;
  readonly next_due_at: string | null;
  readonly origin_key: string | null;
}

/**
 * A number's sort key: its digit run padded, so plain byte order matches the numeric collation the embedded
 * store sorts by (T2025039999 before T20250310000).
 */
export function numberKey(number: string): string {
  const m = /^(.*?)(\d+)$/.exec(number);
  return m ? `${m[1]}${m[2]!.padStart(24, "0")}` : number;
}

/** The chat message a ticket was made from, when it was made from one (same form as the embedded store). */
export function originKey(origin: TicketState["origin"]): string | null {
  if (!origin.messageId) return null;
  return JSON.stringify([origin.platform, origin.chatId ?? "", origin.messageId]);
}

export function columnsOf(s: TicketState): TicketColumns {
  return {
    number: s.number,
    number_key: numberKey(s.number),
    seq: s.seq,
    version: s.version,
    status: s.status,
    priority: s.priority,
    department: s.department,
    owner: s.owner ?? null,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    resolved_at: s.resolvedAt ?? null,
    response_due: s.firstResponseAt === undefined ? (s.due.firstResponse ?? null) : null,
    resolution_due: s.due.resolution ?? null,
    next_due_at: s.nextDueAt ?? null,
    origin_key: originKey(s.origin),
  };
}

/** Between fields of the search text: no query a person types contains it, so no match spans two fields. */
const FIELD_GAP = "\u001f";

/** What free-text search looks in: number, customer name and description, lower-cased as the query is. */
export function searchText(s: TicketState): string {
  return [s.number, s.customer.name ?? "", s.description].join(FIELD_GAP).toLowerCase();
}

/** A LIKE pattern matching `q` anywhere (the query lower-cased and trimmed, as the embedded store does). */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Keyed hashes of every phone number the ticket holds. */
export function phoneHashes(s: TicketState): string[] {
  const out = new Set<string>();
  if (s.customer.phone) out.add(s.customer.phone.hash);
  for (const c of s.contacts) out.add(c.hash);
  return [...out];
}

/** New outbox rows for intents, first of duplicate keys winning, created at `now`. */
export function outboxRows(intents: readonly OutboxIntent[], now: string): Record<string, unknown>[] {
  const seen = new Set<string>();
  const rows: Record<string, unknown>[] = [];
  for (const i of intents) {
    if (seen.has(i.key)) continue;
    seen.add(i.key);
    rows.push({
      key: i.key,
      kind: i.kind,
      recipient: i.recipient,
      ticket: i.ticket,
      payload: i.payload,
      not_before: i.notBefore ?? null,
      created_at: now,
      next_attempt_at: i.notBefore ?? now,
    });
  }
  return rows;
}

export interface OutboxRow {
  readonly key: string;
  readonly kind: string;
  readonly recipient: string;
  readonly ticket: string;
  readonly payload: Record<string, unknown>;
  readonly not_before: Date | null;
  readonly created_at: Date;
  readonly attempts: number;
  readonly next_attempt_at: Date;
  readonly delivered_at: Date | null;
  readonly last_error: string | null;
}

export function outboxItem(r: OutboxRow): OutboxItem {
  return {
    key: r.key,
    kind: r.kind,
    recipient: r.recipient,
    ticket: r.ticket,
    payload: r.payload,
    ...(r.not_before ? { notBefore: r.not_before.toISOString() } : {}),
    createdAt: r.created_at.toISOString(),
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    ...(r.delivered_at ? { deliveredAt: r.delivered_at.toISOString() } : {}),
    ...(r.last_error !== null ? { lastError: r.last_error } : {}),
  };
}
