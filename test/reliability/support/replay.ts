import fc from "fast-check";

/** One delivery in a schedule: the first delivery of original `i`, or a replay of it (maybe late). */
export interface Delivery {
  readonly i: number;
  readonly replay: boolean;
  /** Comes after a long silence (the clock moves past the nudge window, the platform's retry schedule). */
  readonly late: boolean;
}

/**
 * Schedules for `originals` platform events: each is delivered first in story order, and replayed 1 to 5
 * times at random later points, interleaved with the other events and their replays; some replays are late.
 */
export function scheduleArb(originals: number): fc.Arbitrary<Delivery[]> {
  const replay = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), late: fc.boolean() });
  return fc
    .array(fc.array(replay, { minLength: 1, maxLength: 5 }), {
      minLength: originals,
      maxLength: originals,
    })
    .map((perEvent) => {
      const keyed: { key: number; order: number; d: Delivery }[] = [];
      let order = 0;
      perEvent.forEach((replays, i) => {
        keyed.push({ key: i, order: order++, d: { i, replay: false, late: false } });
        // anywhere after the original: between later originals or after all of them
        for (const r of replays)
          keyed.push({
            key: i + 1e-9 + r.at * (originals - i),
            order: order++,
            d: { i, replay: true, late: r.late },
          });
      });
      keyed.sort((a, b) => a.key - b.key || a.order - b.order);
      return keyed.map((k) => k.d);
    });
}

/** Counts of a list of strings, as a sorted list of "value ×n", for comparing multisets readably. */
export function tally(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${v} ×${n}`).sort();
}

/** Ticket numbers named in a text, sorted and unique. */
export const numbersIn = (text: string): string =>
  [...new Set(text.match(/[A-Z]{1,8}\d{10}/g) ?? [])].sort().join(",");
