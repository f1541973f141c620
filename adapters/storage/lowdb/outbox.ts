import type { OutboxIntent, OutboxItem, OutboxOutcome } from "../../../core/ports.ts";

export const DELIVERED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export function rowFromIntent(intent: OutboxIntent, now: string): OutboxItem {
  return { ...intent, createdAt: now, attempts: 0, nextAttemptAt: intent.notBefore ?? now };
}

export function settledRow(row: OutboxItem, outcome: OutboxOutcome): OutboxItem {
  if ("deliveredAt" in outcome)
    return { ...row, attempts: row.attempts + 1, deliveredAt: outcome.deliveredAt };
  return { ...row, attempts: row.attempts + 1, nextAttemptAt: outcome.retryAt, lastError: outcome.error };
}

/** Outbox rows by key; undelivered ones apart for due scans, delivered ones in delivery order for pruning. */
export class OutboxRows {
  readonly #pending = new Map<string, OutboxItem>();
  readonly #delivered = new Map<string, OutboxItem>();

  get size(): number {
    return this.#pending.size + this.#delivered.size;
  }

  get(key: string): OutboxItem | undefined {
    return this.#pending.get(key) ?? this.#delivered.get(key);
  }

  has(key: string): boolean {
    return this.#pending.has(key) || this.#delivered.has(key);
  }

  put(row: OutboxItem): void {
    this.#pending.delete(row.key);
    this.#delivered.delete(row.key);
    if (row.deliveredAt === undefined) this.#pending.set(row.key, row);
    else this.#delivered.set(row.key, row);
  }

  delete(key: string): void {
    this.#pending.delete(key);
    this.#delivered.delete(key);
  }

  /** Undelivered rows due at `now`, earliest first. */
  due(now: number, limit: number): OutboxItem[] {
    const due: { at: number; row: OutboxItem }[] = [];
    for (const row of this.#pending.values()) {
      const at = Date.parse(row.nextAttemptAt);
      if (at <= now) due.push({ at, row });
    }
    due.sort((a, b) => a.at - b.at || (a.row.key < b.row.key ? -1 : a.row.key > b.row.key ? 1 : 0));
    return due.slice(0, Math.max(0, limit)).map((d) => d.row);
  }

  /** Keys of rows delivered before `before`, oldest deliveries first; stops at the first younger one. */
  prunable(before: number): string[] {
    const keys: string[] = [];
    for (const row of this.#delivered.values()) {
      if (Date.parse(row.deliveredAt!) >= before) break;
      keys.push(row.key);
    }
    return keys;
  }

  rows(): OutboxItem[] {
    return [...this.#pending.values(), ...this.#delivered.values()];
  }

  /** Loads rows from a snapshot, delivered ones sorted by delivery time so pruning can stop early. */
  static from(rows: readonly OutboxItem[]): OutboxRows {
    const out = new OutboxRows();
    const delivered = rows.filter((r) => r.deliveredAt !== undefined);
    for (const r of rows) if (r.deliveredAt === undefined) out.put(r);
    delivered.sort((a, b) => Date.parse(a.deliveredAt!) - Date.parse(b.deliveredAt!));
    for (const r of delivered) out.put(r);
    return out;
  }
}
