import type { TicketRecord, TicketStore } from "../ports.ts";
import { type DayRange, inRange } from "./range.ts";
import type { ExportTable } from "./table.ts";

/** Which tickets an export covers. */
export interface ExportFilter {
  readonly range: DayRange;
  /** One department (the board's current filter, or --department). */
  readonly department?: string;
  /** The departments the caller may export; undefined: all. */
  readonly allowed?: ReadonlySet<string>;
  readonly includeArchived: boolean;
}

export const EXPORT_PAGE = 200;

/**
 * The tickets with a row in `table`, newest first, a page at a time: never more than one page in memory.
 * The store lists newest first by creation, so a table whose time is the creation time stops at the range's
 * start instead of reading older tickets.
 */
export async function* exportTickets(
  store: Pick<TicketStore, "list">,
  table: ExportTable,
  filter: ExportFilter,
): AsyncGenerator<TicketRecord> {
  const { range, allowed } = filter;
  let cursor: string | undefined;
  do {
    const page = await store.list({
      limit: EXPORT_PAGE,
      cursor,
      includeArchived: filter.includeArchived,
      ...(filter.department ? { department: filter.department } : {}),
      ...(table.statuses ? { status: table.statuses } : {}),
    });
    for (const r of page.items) {
      const t = r.state;
      if (table.stopsAtRangeStart && range.from !== undefined && Date.parse(t.createdAt) < range.from) return;
      if (allowed && !allowed.has(t.department)) continue;
      if (!table.includes(t) || !inRange(range, table.timeOf(t))) continue;
      yield r;
    }
    cursor = page.nextCursor;
  } while (cursor);
}
