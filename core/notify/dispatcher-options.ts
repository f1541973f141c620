import { DEFAULT_DIGEST_KINDS } from "./digest.ts";

export interface OutboxDispatcherOptions {
  /** Rows acted on per run; rows currently held are read on top of these. Default 100. */
  readonly batch?: number;
  /** Longest wait between runs when nothing changes. Default 1000. */
  readonly pollMs?: number;
  /** Digest-kind alerts within this long of the last one a person received wait and go out together. Default 120000. */
  readonly digestWindowMs?: number;
  readonly digestKinds?: readonly string[];
  /** Backoff cap, also the retry interval of permanent failures. Default 600000. */
  readonly maxBackoffMs?: number;
  /** First retry delay. Default 1000. */
  readonly baseBackoffMs?: number;
  /** Jitter source, uniform in [0, 1). Default Math.random. */
  readonly random?: () => number;
  /** Recipients delivered to at the same time. Default 8. */
  readonly concurrency?: number;
  /** A sink call unanswered this long counts as a failed attempt; the row is retried with the same key. Default 30000. */
  readonly deliveryTimeoutMs?: number;
  /** Undelivered rows read once, on the first run, to find lanes still waiting behind a failed row. Default 1000. */
  readonly recoveryLimit?: number;
  /** Where start()'s background runs report a failed read or write. Default: dropped (the rows stay due). */
  readonly onError?: (error: unknown) => void;
}

export type ResolvedDispatcherOptions = Required<OutboxDispatcherOptions>;

export function resolveDispatcherOptions(o: OutboxDispatcherOptions = {}): ResolvedDispatcherOptions {
  const resolved: ResolvedDispatcherOptions = {
    batch: o.batch ?? 100,
    pollMs: o.pollMs ?? 1000,
    digestWindowMs: o.digestWindowMs ?? 120_000,
    digestKinds: o.digestKinds ?? DEFAULT_DIGEST_KINDS,
    maxBackoffMs: o.maxBackoffMs ?? 600_000,
    baseBackoffMs: o.baseBackoffMs ?? 1000,
    random: o.random ?? Math.random,
    concurrency: o.concurrency ?? 8,
    deliveryTimeoutMs: o.deliveryTimeoutMs ?? 30_000,
    recoveryLimit: o.recoveryLimit ?? 1000,
    onError: o.onError ?? (() => {}),
  };
  for (const name of ["batch", "concurrency"] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1)
      throw new RangeError(`${name} must be a positive integer`);
  }
  for (const name of ["pollMs", "baseBackoffMs", "maxBackoffMs", "deliveryTimeoutMs"] as const) {
    if (!Number.isFinite(resolved[name]) || resolved[name] <= 0)
      throw new RangeError(`${name} must be positive`);
  }
  if (!Number.isFinite(resolved.digestWindowMs) || resolved.digestWindowMs < 0) {
    throw new RangeError("digestWindowMs must be zero or more");
  }
  if (!Number.isInteger(resolved.recoveryLimit) || resolved.recoveryLimit < 0) {
    throw new RangeError("recoveryLimit must be a whole number");
  }
  if (resolved.maxBackoffMs < resolved.baseBackoffMs)
    throw new RangeError("maxBackoffMs must be at least baseBackoffMs");
  return resolved;
}
