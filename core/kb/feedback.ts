/** How often agents said an article solved the problem it was sent for. */
export interface Tally {
  readonly solved: number;
  readonly unsolved: number;
}

export const NO_TALLY: Tally = { solved: 0, unsolved: 0 };

/**
 * The factor feedback puts on an article's relevance: the smoothed solve rate (solved + 1) / (marks + 2)
 * moved to 0.5..1.5, so an article nobody marked stays at 1, each "solved" raises it and each "not solved"
 * lowers it, and a few marks never outweigh a clear difference in relevance.
 */
export function feedbackFactor(t: Tally): number {
  return 0.5 + (t.solved + 1) / (t.solved + t.unsolved + 2);
}

export function withMark(t: Tally, from: Outcome | undefined, to: Outcome | undefined): Tally {
  let { solved, unsolved } = t;
  if (from === "solved") solved--;
  if (from === "unsolved") unsolved--;
  if (to === "solved") solved++;
  if (to === "unsolved") unsolved++;
  return { solved: Math.max(0, solved), unsolved: Math.max(0, unsolved) };
}

export const OUTCOMES = ["solved", "unsolved"] as const;
export type Outcome = (typeof OUTCOMES)[number];
