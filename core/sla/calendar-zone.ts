/**
 * Wall clock <-> instant in an IANA time zone through Intl, correct across DST changes.
 *
 * "Wall" values are a local date and time written as if it were UTC: epoch milliseconds of the wall clock.
 * Local days are numbered like epoch days: day n starts at wall value n * DAY.
 */
export const DAY = 86_400_000;
const QUARTER_HOUR = 900_000;

export interface Zone {
  readonly name: string;
  /** The zone's offset from UTC (ms) at an instant. */
  offsetAt(instant: number): number;
  /** The local day number of an instant. */
  dayOf(instant: number): number;
  /**
   * The instant a wall-clock reading names. A reading repeated when clocks go back names its first occurrence;
   * a reading skipped when clocks go forward names the instant of the jump. So the mapping never decreases,
   * and intervals of wall time stay ordered and disjoint as instants.
   */
  toInstant(wall: number): number;
}

const zones = new Map<string, Zone>();

export function zoneOf(name: string): Zone {
  let zone = zones.get(name);
  if (!zone) {
    zone = makeZone(name);
    zones.set(name, zone);
  }
  return zone;
}

function makeZone(name: string): Zone {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: name,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    era: "short",
  });

  // Offsets asked for repeat (the same working days and hours): cached per quarter hour, for a quarter
  // hour with the same offset at both ends (a change of offset inside one is never cached).
  const cache = new Map<number, number>();
  function offsetAt(instant: number): number {
    const bucket = Math.floor(instant / QUARTER_HOUR);
    const known = cache.get(bucket);
    if (known !== undefined) return known;
    const offset = computeOffset(instant);
    const start = bucket * QUARTER_HOUR;
    if (computeOffset(start) === offset && computeOffset(start + QUARTER_HOUR - 1) === offset) {
      if (cache.size >= 50_000) cache.clear();
      cache.set(bucket, offset);
    }
    return offset;
  }

  function computeOffset(instant: number): number {
    const whole = instant - mod(instant, 1000);
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of format.formatToParts(whole)) {
      switch (part.type) {
        case "year":
          year = Number(part.value);
          break;
        case "month":
          month = Number(part.value);
          break;
        case "day":
          day = Number(part.value);
          break;
        case "hour":
          hour = Number(part.value);
          break;
        case "minute":
          minute = Number(part.value);
          break;
        case "second":
          second = Number(part.value);
          break;
        case "era":
          bc = part.value.startsWith("B");
          break;
      }
    }
    const wall = new Date(0);
    wall.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
    wall.setUTCHours(hour, minute, second, 0);
    return wall.getTime() - whole;
  }

  function toInstant(wall: number): number {
    const before = offsetAt(wall - DAY);
    const after = offsetAt(wall + DAY);
    if (before === after) {
      const guess = wall - before;
      if (offsetAt(guess) === before) return guess;
    }
    const early = wall - before;
    const late = wall - after;
    const earlyFits = offsetAt(early) === before;
    const lateFits = offsetAt(late) === after;
    if (earlyFits && lateFits) return Math.min(early, late);
    if (earlyFits) return early;
    if (lateFits) return late;
    // Skipped reading: find the jump, the first instant whose offset is the later one.
    let lo = Math.min(early, late);
    let hi = Math.max(early, late);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid) === after) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  return {
    name,
    offsetAt,
    dayOf: (instant) => Math.floor((instant + offsetAt(instant)) / DAY),
    toInstant,
  };
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
