export const ASSIGNMENT_STRATEGIES = ["round-robin", "least-open"] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];

export interface Candidate {
  readonly id: string;
  readonly away?: boolean;
}

/** Kept by the caller between assignments. */
export interface AssignmentState {
  readonly lastAssigned?: string;
  /** Open tickets per person; a missing entry counts as none. */
  readonly openCounts: Readonly<Record<string, number>>;
}

/** Everyone present, starting with the one after the last assigned (list order when there is none). */
function presentInTurn(candidates: readonly Candidate[], lastAssigned: string | undefined): Candidate[] {
  const last = lastAssigned === undefined ? -1 : candidates.findIndex((c) => c.id === lastAssigned);
  const start = last + 1;
  const turn = [...candidates.slice(start), ...candidates.slice(0, start)];
  return turn.filter((c) => !c.away);
}

const openOf = (counts: AssignmentState["openCounts"], id: string): number => {
  const n = counts[id];
  return n !== undefined && Number.isFinite(n) ? n : 0;
};

/**
 * Who gets the next ticket, or undefined when everyone is away.
 * - round-robin: the first person present after the last one assigned, in list order, wrapping round.
 * - least-open: the person present with the fewest open tickets; ties go to whoever is next in
 *   round-robin order, so equal loads still take turns.
 */
export function pickOwner(
  candidates: readonly Candidate[],
  strategy: AssignmentStrategy,
  state: AssignmentState,
): string | undefined {
  const turn = presentInTurn(candidates, state.lastAssigned);
  if (strategy === "round-robin") return turn[0]?.id;
  let best: Candidate | undefined;
  for (const c of turn) {
    if (best === undefined || openOf(state.openCounts, c.id) < openOf(state.openCounts, best.id)) best = c;
  }
  return best?.id;
}
