import type { OutboxItem } from "../ports.ts";

/**
 * A recipient's rows travel in two lanes: digest kinds (which may wait for a digest window) and everything
 * else (which goes out at once, one row per call). Order is kept within a lane; a held digest alert never
 * delays a nudge, which is the point of holding it.
 */
export type LaneName = "digest" | "direct";

export interface Lane {
  readonly id: string;
  readonly recipient: string;
  readonly name: LaneName;
  /** In creation order. */
  readonly rows: OutboxItem[];
}

export const laneId = (recipient: string, name: LaneName): string => `${name}:${recipient}`;

/** Creation order: createdAt, then key (rows written together share a createdAt). */
export function byCreation(a: OutboxItem, b: OutboxItem): number {
  return compareOrder(Date.parse(a.createdAt), a.key, Date.parse(b.createdAt), b.key);
}

function compareOrder(atA: number, keyA: string, atB: number, keyB: string): number {
  if (atA !== atB) return atA - atB;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

/** Due rows in lanes, each lane in creation order, lanes in the order of their first row. */
export function toLanes(rows: readonly OutboxItem[], isDigest: (kind: string) => boolean): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const row of rows) {
    const name: LaneName = isDigest(row.kind) ? "digest" : "direct";
    const id = laneId(row.recipient, name);
    let lane = lanes.get(id);
    if (!lane) {
      lane = { id, recipient: row.recipient, name, rows: [] };
      lanes.set(id, lane);
    }
    lane.rows.push(row);
  }
  const out = [...lanes.values()];
  for (const lane of out) lane.rows.sort(byCreation);
  return out.sort((a, b) => byCreation(a.rows[0]!, b.rows[0]!));
}

interface Failed {
  readonly key: string;
  readonly createdAt: number;
  readonly retryAt: number;
}

/**
 * Per lane, the undelivered rows that failed (their retry time no longer follows creation order). A lane
 * moves only up to its earliest failed row that is not in hand and due again, so no later row overtakes it,
 * even when a read is cut short by the batch limit. Rows waiting behind it stay due in the store (nothing is
 * written for them); the dispatcher skips them.
 */
export class LaneBlockers {
  readonly #byLane = new Map<string, Map<string, Failed>>();

  /** `row` failed and is retried at `retryAt`. */
  block(id: string, row: OutboxItem, retryAt: number): void {
    let failed = this.#byLane.get(id);
    if (!failed) {
      failed = new Map();
      this.#byLane.set(id, failed);
    }
    failed.set(row.key, { key: row.key, createdAt: Date.parse(row.createdAt), retryAt });
  }

  release(id: string, delivered: readonly OutboxItem[]): void {
    const failed = this.#byLane.get(id);
    if (!failed) return;
    for (const row of delivered) failed.delete(row.key);
    if (failed.size === 0) this.#byLane.delete(id);
  }

  /** The lane's rows that may go now, in order, and those that must wait. */
  split(lane: Lane, now: number): { ready: OutboxItem[]; held: OutboxItem[] } {
    const failed = this.#byLane.get(lane.id);
    if (!failed) return { ready: lane.rows, held: [] };
    const inHand = new Set(lane.rows.map((r) => r.key));
    let gate: Failed | undefined;
    for (const f of failed.values()) {
      if (inHand.has(f.key) && now >= f.retryAt) continue;
      if (!gate || compareOrder(f.createdAt, f.key, gate.createdAt, gate.key) < 0) gate = f;
    }
    if (!gate) return { ready: lane.rows, held: [] };
    const ready: OutboxItem[] = [];
    const held: OutboxItem[] = [];
    for (const row of lane.rows) {
      (compareOrder(Date.parse(row.createdAt), row.key, gate.createdAt, gate.key) < 0 ? ready : held).push(
        row,
      );
    }
    return { ready, held };
  }

  /**
   * After a read that returned every due row: a failed row that is due but was not among them is no longer
   * pending (delivered by another dispatcher, or pruned), so it holds nothing back.
   */
  sweep(now: number, dueKeys: ReadonlySet<string>): void {
    for (const [id, failed] of this.#byLane) {
      for (const [key, f] of failed) if (now >= f.retryAt && !dueKeys.has(key)) failed.delete(key);
      if (failed.size === 0) this.#byLane.delete(id);
    }
  }

  /** The earliest instant after `now` at which a failed row is due again. */
  nextRetryAfter(now: number): number | undefined {
    let next: number | undefined;
    for (const failed of this.#byLane.values()) {
      for (const f of failed.values())
        if (f.retryAt > now && (next === undefined || f.retryAt < next)) next = f.retryAt;
    }
    return next;
  }
}
