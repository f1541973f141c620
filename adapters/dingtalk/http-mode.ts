import { createHash } from "node:crypto";
import type { PlatformContext } from "../platform-module.ts";
import type { DingTalkConfig } from "./config.ts";
import type { DingTalkPlatform } from "./platform.ts";
import { MAX_SKEW_MS, verifyRobotSign } from "./signature.ts";

/**
 * The robot's sign covers only the timestamp, not the body: a captured (timestamp, sign) pair would carry
 * any message for as long as the timestamp is accepted. Each pair is bound to the first body it came with;
 * the same pair with another body is a forgery. (The same body again is a redelivery: the inbox ignores it.)
 */
export class SignLedger {
  readonly #seen = new Map<string, { digest: string; until: number }>();

  /** False when this timestamp and sign already came with a different body. */
  claim(timestamp: string, sign: string, raw: string, nowMs: number): boolean {
    for (const [k, v] of this.#seen) if (v.until < nowMs) this.#seen.delete(k);
    const key = `${timestamp}\n${sign}`;
    const digest = createHash("sha256").update(raw).digest("base64");
    const known = this.#seen.get(key);
    if (known) return known.digest === digest;
    this.#seen.set(key, { digest, until: nowMs + 2 * MAX_SKEW_MS });
    return true;
  }
}

/**
 * HTTP mode: DingTalk posts robot messages to POST /dingtalk/events with `timestamp` and `sign` headers.
 * A forged or stale request is refused before anything is read into closeloop; a genuine one is queued
 * durably (de-duplicated by msgId) and answered at once.
 */
export function mountHttpMode(
  ctx: PlatformContext,
  config: DingTalkConfig,
  platform: DingTalkPlatform,
): void {
  const signs = new SignLedger();
  ctx.app.post("/dingtalk/events", async (c) => {
    const timestamp = c.req.header("timestamp");
    const sign = c.req.header("sign");
    const now = ctx.clock.now().getTime();
    const check = verifyRobotSign({ timestamp, sign }, config.clientSecret, now);
    const refuse = (reason: string) => {
      ctx.logger.warn({ platform: "dingtalk", reason }, "DingTalk: refused an unsigned callback");
      return c.json({ error: { code: "unauthenticated", message: reason } }, 401);
    };
    if (!check.ok) return refuse(check.reason);
    const raw = await c.req.text();
    if (!signs.claim(timestamp!, sign!, raw, now)) return refuse("sign already used for another body");
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return c.json({ error: { code: "bad_request", message: "body is not JSON" } }, 400);
    }
    if (!(await platform.enqueueMessage(body)))
      return c.json({ error: { code: "bad_request", message: "not a robot message" } }, 400);
    return c.json({ msgtype: "empty" });
  });
}
