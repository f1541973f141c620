import type { PlatformContext } from "../platform-module.ts";
import type { DingTalkConfig } from "./config.ts";
import type { DingTalkPlatform } from "./platform.ts";
import { verifyRobotSign } from "./signature.ts";

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
  ctx.app.post("/dingtalk/events", async (c) => {
    const check = verifyRobotSign(
      { timestamp: c.req.header("timestamp"), sign: c.req.header("sign") },
      config.clientSecret,
      ctx.clock.now().getTime(),
    );
    if (!check.ok) {
      ctx.logger.warn(
        { platform: "dingtalk", reason: check.reason },
        "DingTalk: refused an unsigned callback",
      );
      return c.json({ error: { code: "unauthenticated", message: check.reason } }, 401);
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: { code: "bad_request", message: "body is not JSON" } }, 400);
    }
    if (!(await platform.enqueueMessage(body)))
      return c.json({ error: { code: "bad_request", message: "not a robot message" } }, 400);
    return c.json({ msgtype: "empty" });
  });
}
