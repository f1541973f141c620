import type { Status } from "./schema.ts";

export type Move = "start" | "resolve" | "reopen";

/** The workflow: which status each move may leave from, and where it goes. */
export const TRANSITIONS: Readonly<Record<Move, { from: readonly Status[]; to: Status }>> = {
  start: { from: ["pending"], to: "in_progress" },
  resolve: { from: ["pending", "in_progress"], to: "resolved" },
  reopen: { from: ["resolved"], to: "in_progress" },
};

export const canMove = (move: Move, from: Status): boolean => TRANSITIONS[move].from.includes(from);

/** The moves open to a ticket in a status, e.g. for buttons and board columns. */
export const movesFrom = (from: Status): Move[] =>
  (Object.keys(TRANSITIONS) as Move[]).filter((m) => canMove(m, from));
