import { z } from "zod";
import type { Person } from "../../core/directory/schema.ts";
import type { TicketQuery, TicketRecord } from "../../core/ports.ts";
import { PRIORITIES, type Status } from "../../core/ticket/schema.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import { parseInput } from "../../core/validate.ts";
import { byResolvedDesc, byUrgency } from "./order.ts";
import { type Tile, type TileContext, tileOf } from "./tiles.ts";

const flag = z.enum(["true", "false", "1", "0", ""]).transform((v) => v === "true" || v === "1");

/** The board's filters: the same names in the page URL and in the API query, so a view can be shared. */
export const filterSchema = z
  .object({
    department: z.string().max(100).optional(),
    owner: z.string().max(100).optional(),
    priority: z.enum(PRIORITIES).optional(),
    type: z.string().max(100).optional(),
    overdue: flag.optional(),
    mine: flag.optional(),
    q: z.string().max(200).optional(),
  })
  .strip();

export type BoardFilters = z.infer<typeof filterSchema>;

export const RESOLVED_DAYS = 7;
const DAY = 86_400_000;
/** A search over resolved tickets (older ones included) shows at most this many. */
const SEARCH_LIMIT = 200;

export function parseFilters(params: Record<string, string>): BoardFilters {
  const cleaned = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== ""));
  return parseInput(filterSchema, cleaned, "query");
}

/** Whether a tile belongs on a board with these filters (the store already matched text and overdue). */
export function tileMatches(tile: Tile, f: BoardFilters, now: Date): boolean {
  if (f.department && tile.department !== f.department) return false;
  if (f.owner && tile.owner !== f.owner) return false;
  if (f.priority && tile.priority !== f.priority) return false;
  if (f.type && tile.problemType !== f.type) return false;
  if (f.mine && !tile.mine) return false;
  if (f.overdue && tile.sla.state !== "overdue") return false;
  if (tile.status === "resolved" && !f.q) {
    const at = tile.resolvedAt ? Date.parse(tile.resolvedAt) : 0;
    if (at < now.getTime() - RESOLVED_DAYS * DAY) return false;
  }
  return true;
}

/** Whether a ticket's text matches the search box: number, customer name or description. */
export function textMatches(r: TicketRecord, q: string | undefined): boolean {
  const needle = q?.trim().toLowerCase();
  if (!needle) return true;
  const s = r.state;
  return (
    s.number.toLowerCase().includes(needle) ||
    (s.customer.name?.toLowerCase().includes(needle) ?? false) ||
    s.description.toLowerCase().includes(needle)
  );
}

/** Every ticket a query matches, page by page (at most `max`, rounded up to a page). */
export async function collect(
  service: TicketService,
  query: Omit<TicketQuery, "limit" | "cursor">,
  max = Number.POSITIVE_INFINITY,
): Promise<TicketRecord[]> {
  const out: TicketRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await service.list({ ...query, limit: 200, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

export interface Columns {
  readonly pending: Tile[];
  readonly in_progress: Tile[];
  readonly resolved: Tile[];
}

/** The three columns for one viewer and one set of filters. */
export async function loadColumns(
  service: TicketService,
  filters: BoardFilters,
  ctx: TileContext,
): Promise<Columns> {
  const base = {
    department: filters.department || undefined,
    owner: filters.mine ? ctx.viewer.id : filters.owner || undefined,
    priority: filters.priority,
    q: filters.q?.trim() || undefined,
  };
  const [open, resolved] = await Promise.all([
    collect(service, { ...base, status: ["pending", "in_progress"] satisfies Status[] }),
    collect(
      service,
      { ...base, status: ["resolved"], includeArchived: base.q !== undefined },
      base.q ? SEARCH_LIMIT : Number.POSITIVE_INFINITY,
    ),
  ]);
  const columns: Columns = { pending: [], in_progress: [], resolved: [] };
  for (const r of [...open, ...resolved]) {
    const tile = tileOf(r, ctx);
    if (tileMatches(tile, filters, ctx.now)) columns[tile.status].push(tile);
  }
  columns.pending.sort(byUrgency);
  columns.in_progress.sort(byUrgency);
  columns.resolved.sort(byResolvedDesc);
  return columns;
}

/** Departments whose late tickets a person answers for: those they head, directly or higher up. */
export function watchedDepartments(service: TicketService, viewer: Person): string[] {
  const dir = service.directory;
  const all = dir.departments().map((d) => d.id);
  if (viewer.roles.includes("admin")) return all;
  return all.filter((id) => dir.escalationChain(id).includes(viewer.id));
}

/** The heads' view: overdue and at-risk open tickets of their departments, latest first. */
export async function loadLate(service: TicketService, ctx: TileContext): Promise<Tile[]> {
  const departments = new Set(watchedDepartments(service, ctx.viewer));
  if (departments.size === 0) return [];
  const open = await collect(service, { status: ["pending", "in_progress"] });
  return open
    .filter((r) => departments.has(r.state.department))
    .map((r) => tileOf(r, ctx))
    .filter((t) => t.sla.state === "overdue" || t.sla.state === "soon")
    .sort(byUrgency);
}
