import type { Hono } from "hono";
import type { Logger } from "pino";
import type { HttpEnv } from "../http/env.ts";
import type { Activity } from "./activity.ts";
import { activitySchema } from "./activity.ts";
import type { ChannelAuth } from "./channel-auth.ts";
import type { InvokeResponse } from "./invoke.ts";

export interface MessagesHandlers {
  readonly auth: ChannelAuth;
  readonly logger: Logger;
  /** Queues an activity for processing; false when its id was seen before. */
  queue(activity: Activity): Promise<boolean>;
  execute(activity: Activity): Promise<InvokeResponse>;
}

const QUEUED = new Set(["message", "conversationUpdate", "installationUpdate"]);

/**
 * POST /teams/messages: the bot's messaging endpoint. Nothing is read from an activity before its token
 * holds. Messages and installs are stored durably (de-duplicated by activity id) and acknowledged at once;
 * Action.Execute invokes are answered in the same request.
 */
export function mountMessages(app: Hono<HttpEnv>, h: MessagesHandlers): void {
  app.post("/teams/messages", async (c) => {
    const authorization = c.req.header("authorization");
    if (!authorization?.startsWith("Bearer ")) return c.json({ error: { code: "Unauthorized" } }, 401);
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: { code: "BadRequest", message: "body is not JSON" } }, 400);
    }
    const parsed = activitySchema.safeParse(body);
    if (!parsed.success) return c.json({ error: { code: "BadRequest", message: "not an activity" } }, 400);
    const activity = parsed.data;
    const auth = await h.auth.verify(authorization, activity);
    if (!auth.ok) {
      h.logger.warn({ platform: "teams", reason: auth.reason }, "Teams: refused an activity's token");
      return c.json({ error: { code: auth.status === 403 ? "Forbidden" : "Unauthorized" } }, auth.status);
    }
    if (activity.type === "invoke") {
      if (activity.name !== "adaptiveCard/action") return c.body(null, 501);
      return c.json(await h.execute(activity), 200);
    }
    if (QUEUED.has(activity.type) && activity.id) await h.queue(activity);
    return c.body(null, 202);
  });
}
