import { validationError } from "../../../core/errors.ts";
import type { TicketPage, TicketQuery, TicketRecord } from "../../../core/ports.ts";
import type { TicketState } from "../../../core/ticket/state.ts";

export const MAX_PAGE = 200;

const byNumber = new Intl.Collator("en", { numeric: true }).compare;

function instant(iso: string, what: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`${what} is not an instant: ${iso}`);
  return t;
}

/** Not resolved, and a deadline still open is before `at`: first response (until one happened) or resolution. */
export function isOverdue(s: TicketState, at: number): boolean {
  if (s.status === "resolved") return false;
  const firstResponse = s.firstResponseAt === undefined && s.due.firstResponse !== undefined;
  if (firstResponse && Date.parse(s.due.firstResponse!) < at) return true;
  return s.due.resolution !== undefined && Date.parse(s.due.resolution) < at;
}

export function matcher(query: TicketQuery): (r: TicketRecord) => boolean {
  const statuses = query.status ? new Set(query.status) : undefined;
  const overdueAt = query.overdueAt === undefined ? undefined : instant(query.overdueAt, "overdueAt");
  const q = query.q?.trim().toLowerCase() || undefined;
  const { department, owner, priority, phoneHash } = query;
  return ({ state: s }) =>
    (!statuses || statuses.has(s.status)) &&
    (department === undefined || s.department === department) &&
    (owner === undefined || s.owner === owner) &&
    (priority === undefined || s.priority === priority) &&
    (overdueAt === undefined || isOverdue(s, overdueAt)) &&
    (phoneHash === undefined ||
      s.customer.phone?.hash === phoneHash ||
      s.contacts.some((c) => c.hash === phoneHash)) &&
    (q === undefined ||
      s.number.toLowerCase().includes(q) ||
      (s.customer.name?.toLowerCase().includes(q) ?? false) ||
      s.description.toLowerCase().includes(q));
}

/** Archived tickets are resolved, so a query that excludes resolved tickets need not read the archive. */
export const mayMatchArchived = (query: TicketQuery): boolean =>
  query.overdueAt === undefined && (!query.status || query.status.includes("resolved"));

export interface Position {
  readonly at: number;
  readonly number: string;
}

/** Newest first: createdAt descending, then number descending. */
export const newestFirst = (a: Position, b: Position): number => b.at - a.at || byNumber(b.number, a.number);

export const positionOf = (r: TicketRecord): Position => ({
  at: Date.parse(r.state.createdAt),
  number: r.state.number,
});

export const encodeCursor = (p: Position): string =>
  Buffer.from(JSON.stringify([p.at, p.number])).toString("base64url");

export function decodeCursor(cursor: string): Position {
  try {
    const [at, number] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at === "number" && typeof number === "string") return { at, number };
  } catch {
    // fall through
  }
  // The caller's input, not a fault of the store: a 400 naming the field, never a 500.
  throw validationError([
    { field: "query.cursor", message: "invalid list cursor (use nextCursor as given)" },
  ]);
}

const pageSize = (query: TicketQuery): number =>
  Math.min(MAX_PAGE, Math.max(1, Math.floor(query.limit) || 1));

/**
 * One page of the records that match, after the cursor, walking `oldestFirst` (every record's position,
 * sorted oldest first) from the newest end: a page costs the records walked past until it is full, not a
 * scan and sort of the whole set.
 */
export function pageInOrder(
  oldestFirst: readonly Position[],
  get: (number: string) => TicketRecord | undefined,
  query: TicketQuery,
): TicketPage {
  const match = matcher(query);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const limit = pageSize(query);
  // the first position (oldest-first index) that is not strictly after the cursor in newest-first order
  let lo = 0;
  let hi = oldestFirst.length;
  if (after) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newestFirst(after, oldestFirst[mid]!) < 0) lo = mid + 1;
      else hi = mid;
    }
  } else lo = oldestFirst.length;
  const items: TicketRecord[] = [];
  let more = false;
  for (let i = lo - 1; i >= 0; i--) {
    const record = get(oldestFirst[i]!.number);
    if (!record || !match(record)) continue;
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(record);
  }
  const last = items.at(-1);
  return { items, ...(more && last ? { nextCursor: encodeCursor(positionOf(last)) } : {}) };
}

/**
 * One page from two ordered sets listed with the same query (the hot tickets and the archived ones): each
 * set's page holds its first matches after the cursor, so the first of both together are the page.
 */
export function mergePages(a: TicketPage, b: TicketPage, query: TicketQuery): TicketPage {
  const limit = pageSize(query);
  const hits = [...a.items, ...b.items]
    .map((record) => ({ ...positionOf(record), record }))
    .sort(newestFirst);
  const items = hits.slice(0, limit);
  const more = hits.length > limit || a.nextCursor !== undefined || b.nextCursor !== undefined;
  const last = items.at(-1);
  return {
    items: items.map((h) => h.record),
    ...(more && last ? { nextCursor: encodeCursor(last) } : {}),
  };
}
