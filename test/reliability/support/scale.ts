/**
 * Sizes of the reliability runs. CI runs the default ("ci") sizes; CLOSELOOP_RELIABILITY_SCALE=large runs
 * the bigger ones (docs/reliability.md). CLOSELOOP_RELIABILITY_SEED replays a run exactly.
 */
export const LARGE = process.env.CLOSELOOP_RELIABILITY_SCALE === "large";

export const pick = <T>(ci: T, large: T): T => (LARGE ? large : ci);

/** The seed of this run: from the environment, else fresh (printed by each test so a failure can be replayed). */
export function seedOf(name: string): number {
  const fixed = Number(process.env.CLOSELOOP_RELIABILITY_SEED);
  const seed = Number.isInteger(fixed) && fixed > 0 ? fixed : (Date.now() % 1_000_000) + 1;
  console.info(`[reliability] ${name}: seed ${seed} (CLOSELOOP_RELIABILITY_SEED=${seed} replays it)`);
  return seed;
}

/** One line per scenario with its counts, for the run's log (and the report). */
export function report(name: string, counts: Record<string, number>): void {
  const parts = Object.entries(counts).map(([k, v]) => `${k}=${v}`);
  console.info(`[reliability] ${name}: ${parts.join(" ")}`);
}
