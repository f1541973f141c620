import { createHmac, timingSafeEqual } from "node:crypto";

/** The headers every delivery carries. */
export const WEBHOOK_HEADERS = {
  event: "x-closeloop-event",
  eventId: "x-closeloop-event-id",
  timestamp: "x-closeloop-timestamp",
  signature: "x-closeloop-signature",
  attempt: "x-closeloop-attempt",
} as const;

/** How far a delivery's timestamp may be from the receiver's clock: older requests are replays. */
export const DEFAULT_TOLERANCE_S = 300;

/** `v1=` + hex HMAC-SHA256 with the subscription's secret over `${timestamp}.${body}` (the raw body bytes). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export type VerifyResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "missing" | "stale" | "mismatch" };

/**
 * What a receiver does (also exported for receivers written in TypeScript): recompute the signature over the
 * raw body, compare in constant time, and refuse a timestamp further than `toleranceS` from now.
 */
export function verifyWebhook(opts: {
  readonly secret: string;
  readonly body: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly now?: Date;
  readonly toleranceS?: number;
}): VerifyResult {
  const { timestamp, signature } = opts;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "missing" };
  const nowS = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowS - Number(timestamp)) > (opts.toleranceS ?? DEFAULT_TOLERANCE_S))
    return { ok: false, reason: "stale" };
  const expected = Buffer.from(signWebhook(opts.secret, Number(timestamp), opts.body));
  // a header may carry several signatures (comma separated) while a secret is being rotated
  const match = signature
    .split(",")
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return match ? { ok: true } : { ok: false, reason: "mismatch" };
}
