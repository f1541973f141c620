import { createHmac, timingSafeEqual } from "node:crypto";

/** The robot HTTP callback's sign: base64(HMAC-SHA256(key = appSecret, `${timestamp}\n${appSecret}`)). */
export const robotSign = (timestamp: string, secret: string): string =>
  createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");

/** DingTalk refuses a clock skew over an hour; so do we. */
export const MAX_SKEW_MS = 3_600_000;

export function verifyRobotSign(
  headers: { timestamp?: string | null; sign?: string | null },
  secret: string,
  nowMs: number,
): { ok: true } | { ok: false; reason: string } {
  const { timestamp, sign } = headers;
  if (!timestamp || !sign) return { ok: false, reason: "missing timestamp or sign header" };
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(nowMs - ts) > MAX_SKEW_MS)
    return { ok: false, reason: "timestamp out of range" };
  const expected = Buffer.from(robotSign(timestamp, secret));
  const given = Buffer.from(sign);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "bad sign" };
  return { ok: true };
}
