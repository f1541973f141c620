/**
 * POST /bench/checked/{feishu,teams}: the floor under a card action. The request goes through the same checks
 * the real route makes before it reads anything (Feishu: signature, freshness, decryption, verification token
 * and envelope; Teams: activity schema and the channel's JWT against the OpenID keys), then gets the stored
 * bytes back. Nothing is stored or drawn. A real click can be no cheaper than this.
 */
import type { Hono } from "hono";
import { readFeishuSettings } from "../../adapters/feishu/config.ts";
import { verifyPush } from "../../adapters/feishu/verify.ts";
import type { HttpEnv } from "../../adapters/http/env.ts";
import { activitySchema } from "../../adapters/teams/activity.ts";
import { ChannelAuth } from "../../adapters/teams/channel-auth.ts";
import { readTeamsConfig } from "../../adapters/teams/config.ts";
import { OpenIdKeys } from "../../adapters/teams/openid-keys.ts";
import { systemClock } from "../../core/ports.ts";

const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

export function mountCheckedRoutes(app: Hono<HttpEnv>, env: NodeJS.ProcessEnv, answer: () => string): void {
  const feishu = readFeishuSettings(env);
  const teams = readTeamsConfig(env);
  const auth = new ChannelAuth({
    keys: new OpenIdKeys({ metadataUrl: teams.openIdMetadataUrl, clock: systemClock }),
    appId: teams.appId,
    clock: systemClock,
  });
  app.post("/bench/checked/feishu", async (c) => {
    const v = verifyPush(
      await c.req.text(),
      {
        "x-lark-request-timestamp": c.req.header("x-lark-request-timestamp"),
        "x-lark-request-nonce": c.req.header("x-lark-request-nonce"),
        "x-lark-signature": c.req.header("x-lark-signature"),
      },
      {
        verificationToken: feishu.verificationToken,
        encryptKey: feishu.encryptKey,
        appId: feishu.appId,
        now: Date.now(),
      },
    );
    return v.kind === "envelope" ? c.body(answer(), 200, JSON_TYPE) : c.json({}, 401);
  });
  app.post("/bench/checked/teams", async (c) => {
    const parsed = activitySchema.safeParse(JSON.parse(await c.req.text()));
    if (!parsed.success) return c.json({}, 400);
    const ok = await auth.verify(c.req.header("authorization"), parsed.data);
    return ok.ok ? c.body(answer(), 200, JSON_TYPE) : c.json({}, ok.status);
  });
}
