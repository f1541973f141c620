import { canMove, type Move, TRANSITIONS } from "../../core/ticket/transitions.ts";
import type { Tile } from "./tiles.ts";

const PRIORITY_RANK = { urgent: 0, normal: 1, low: 2 } as const;
const SLA_RANK = { overdue: 0, soon: 1, ok: 2, none: 3, done: 4 } as const;

/** Most pressing first: most overdue, then nearest deadline, then priority, then oldest. */
export function byUrgency(a: Tile, b: Tile): number {
  const rank = SLA_RANK[a.sla.state] - SLA_RANK[b.sla.state];
  if (rank !== 0) return rank;
  if (a.sla.state === "overdue" && b.sla.state === "overdue") return b.sla.ms - a.sla.ms;
  if ("ms" in a.sla && "ms" in b.sla && a.sla.ms !== b.sla.ms) return a.sla.ms - b.sla.ms;
  return PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.createdAt.localeCompare(b.createdAt);
}

/** The resolved column: most recently resolved first. */
export const byResolvedDesc = (a: Tile, b: Tile): number =>
  (b.resolvedAt ?? "").localeCompare(a.resolvedAt ?? "");

/** The core move that takes a ticket from one column to another, if there is one. */
export function moveCommand(from: Tile["status"], to: Tile["status"]): Move | undefined {
  return (Object.keys(TRANSITIONS) as Move[]).find((m) => TRANSITIONS[m].to === to && canMove(m, from));
}
