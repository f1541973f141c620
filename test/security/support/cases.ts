import { expect } from "vitest";
import { tally } from "./ledger.ts";
import type { SecurityWorld } from "./world.ts";

const FAR = "9999-01-01T00:00:00.000Z";

/** Everything a request could have changed: every ticket (events) and every outbox row. */
export async function snapshot(w: SecurityWorld): Promise<string> {
  const tickets: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await w.cl.store.list({ limit: 200, cursor, includeArchived: true });
    for (const r of page.items) tickets.push(`${r.state.number}@${r.state.seq}:${r.events.length}`);
    cursor = page.nextCursor;
  } while (cursor);
  const outbox = (await w.cl.store.dueOutbox(FAR, 100_000)).map((o) => `${o.key}:${o.attempts}`);
  return JSON.stringify({ tickets: tickets.sort(), outbox: outbox.sort() });
}

/**
 * Runs one request that must be refused: it answers one of `statuses`, and neither the spy nor a snapshot
 * of the store and the outbox sees any write. Counted under `category`.
 */
export async function refused<T extends { status: number }>(
  w: SecurityWorld,
  category: string,
  name: string,
  send: () => Promise<T>,
  statuses: readonly number[] = [401, 403],
): Promise<T> {
  const t = tally(category);
  t.tried++;
  const before = await snapshot(w);
  const mark = w.spy.mark();
  const answer = await send();
  const writes = w.spy.since(mark);
  const after = await snapshot(w);
  t.written += writes.length;
  if (statuses.includes(answer.status) && writes.length === 0) t.refused++;
  expect({ name, status: answer.status }).toEqual({ name, status: expect.toBeOneOf([...statuses]) });
  expect(writes, `${name}: writes`).toEqual([]);
  expect(after, `${name}: store`).toBe(before);
  return answer;
}

/** A request that must be accepted and must write (the control beside the refused ones). */
export async function accepted<T extends { status: number }>(
  w: SecurityWorld,
  category: string,
  name: string,
  send: () => Promise<T>,
  status = 200,
): Promise<T> {
  const t = tally(category);
  t.tried++;
  const mark = w.spy.mark();
  const answer = await send();
  expect({ name, status: answer.status }).toEqual({ name, status });
  expect(w.spy.since(mark).length, `${name}: writes`).toBeGreaterThan(0);
  t.allowed++;
  return answer;
}
