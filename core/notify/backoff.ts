export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Uniform in [0, 1), like Math.random. */
  readonly random: () => number;
}

/** What a failed delivery said about coming back. */
export interface RetryHint {
  readonly retryAfterMs?: number;
  readonly permanent?: boolean;
  /** The sender held the rows back itself (pacing): they go again after retryAfterMs, no backoff. */
  readonly hold?: boolean;
}

/**
 * Full jitter with a floor: the n-th attempt in a row to fail waits a uniform time between baseMs and
 * min(maxMs, baseMs * 2^(n-1)). Full jitter spreads the crowd of retries that follows an outage; the floor
 * keeps a failing row out of a tight loop. It depends only on the attempt count the store keeps, so it
 * carries over a restart (decorrelated jitter would need the previous delay, which the store does not keep).
 */
export function backoffMs(attempt: number, policy: BackoffPolicy): number {
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 60));
  const floor = Math.min(policy.baseMs, ceiling);
  const r = Math.min(Math.max(policy.random(), 0), 1);
  return Math.round(floor + r * (ceiling - floor));
}

/**
 * How long to wait before the next attempt. Rows the sender held back for its own pacing go again when
 * it said, however many times that happened before. A permanent failure waits the cap: it is retried at the cap
 * rate, never dropped, because a person or a fix (a linked account, a corrected directory) can still make
 * it deliverable and nothing core acknowledged may be lost. A platform's Retry-After is a minimum, even
 * above the cap: coming back earlier would only be refused again.
 */
export function retryDelayMs(attempt: number, hint: RetryHint, policy: BackoffPolicy): number {
  if (hint.hold && hint.retryAfterMs !== undefined && Number.isFinite(hint.retryAfterMs))
    return Math.max(1, Math.ceil(hint.retryAfterMs));
  const own = hint.permanent ? policy.maxMs : backoffMs(attempt, policy);
  const asked = hint.retryAfterMs;
  if (asked === undefined || !Number.isFinite(asked) || asked <= 0) return own;
  return Math.max(own, Math.ceil(asked));
}
