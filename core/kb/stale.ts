const DAY_MS = 86_400_000;

/** Not reviewed for more than `days` days at `now`: the answer may be out of date (a policy changed). */
export function isStale(reviewedAt: string, now: Date, days: number): boolean {
  return now.getTime() - Date.parse(reviewedAt) > days * DAY_MS;
}

/** Whole days since the last review, for "reviewed 200 days ago". */
export function daysSince(reviewedAt: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(reviewedAt)) / DAY_MS));
}
