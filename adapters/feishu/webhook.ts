import type { Hono } from "hono";
import type { Logger } from "pino";
import type { HttpEnv } from "../http/env.ts";
import type { FeishuSettings } from "./config.ts";
import { verifyPush } from "./verify.ts";

export const FEISHU_EVENTS_PATH = "/feishu/events";

/** Flattens a v2 envelope as the SDK does for its handlers: header fields beside the event's. */
export function flatten(envelope: { header: Record<string, unknown>; event: Record<string, unknown> }) {
  const { token: _verificationToken, ...header } = envelope.header;
  return { ...header, ...envelope.event };
}

/**
 * POST /feishu/events: event subscriptions and card callbacks. A refused request gets a bare 401 (the
 * reason goes to the log only) and writes nothing.
 */
export function mountWebhook(
  app: Hono<HttpEnv>,
  settings: FeishuSettings,
  logger: Logger,
  onEvent: (eventType: string, flat: Record<string, unknown>) => Promise<unknown>,
): void {
  app.post(FEISHU_EVENTS_PATH, async (c) => {
    const raw = await c.req.text();
    const headers = {
      "x-lark-request-timestamp": c.req.header("x-lark-request-timestamp"),
      "x-lark-request-nonce": c.req.header("x-lark-request-nonce"),
      "x-lark-signature": c.req.header("x-lark-signature"),
    };
    const v = verifyPush(raw, headers, {
      verificationToken: settings.verificationToken,
      encryptKey: settings.encryptKey,
      appId: settings.appId,
      now: Date.now(),
    });
    if (v.kind === "refused") {
      logger.warn({ platform: "feishu", reason: v.reason }, "Feishu push refused");
      return c.json({}, 401);
    }
    if (v.kind === "challenge") return c.json({ challenge: v.challenge });
    const { header, event } = v.envelope;
    try {
      const answer = await onEvent(header.event_type, flatten({ header, event }));
      return c.json((answer ?? {}) as Record<string, unknown>);
    } catch (err) {
      logger.error({ err, platform: "feishu", event: header.event_type }, "Feishu event failed");
      return c.json({}, 500);
    }
  });
}
