import { Hono } from "hono";
import { z } from "zod";
import type { ChatPlatform } from "../../core/chat/platform.ts";
import type { NotificationSink } from "../../core/ports.ts";
import { dingtalkPlayground } from "../dingtalk/playground.ts";
import type { HttpEnv } from "../http/env.ts";
import { isLocalCaller } from "../http/remote-address.ts";
import type { PlatformContext } from "../platform-module.ts";
import { teamsPlayground } from "../teams/playground.ts";
import { feishuPlayground } from "./feishu.ts";
import { playgroundPage } from "./page.ts";
import type { PlaygroundPlugin, PlaygroundSession } from "./types.ts";

/** Platforms that can run in the playground; each adds itself here (one entry). */
export const PLAYGROUND_PLUGINS: readonly PlaygroundPlugin[] = [
  feishuPlayground,
  dingtalkPlayground,
  teamsPlayground,
];

export interface Playground {
  readonly platforms: readonly ChatPlatform[];
  stop(): Promise<void>;
}

const sendSchema = z.object({ as: z.string().min(1), text: z.string().trim().min(1).max(4000) });
const clickSchema = z.object({
  as: z.string().min(1),
  messageId: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
  fields: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Sandbox only: starts every playground platform (its local emulator and the real adapter) and serves
 * /playground, where a newcomer chats as any demo person and taps the bot's cards.
 */
export async function startPlayground(
  ctx: PlatformContext,
  tee?: NotificationSink,
  plugins: readonly PlaygroundPlugin[] = PLAYGROUND_PLUGINS,
): Promise<Playground> {
  const sessions = new Map<string, { plugin: PlaygroundPlugin; session: PlaygroundSession }>();
  for (const plugin of plugins) sessions.set(plugin.id, { plugin, session: await plugin.start(ctx, tee) });
  const app = new Hono<HttpEnv>();
  const page = playgroundPage(
    [...sessions.values()].map(({ plugin }) => ({ id: plugin.id, title: plugin.title })),
  );
  // Anyone using the playground acts as any demo person: only from this machine, like X-Closeloop-As.
  app.use("*", async (c, next) => {
    if (!isLocalCaller(c)) return c.json({ error: "the playground answers this machine only" }, 403);
    await next();
  });
  app.get("/", (c) => c.html(page));
  app.use("/api/:platform/*", async (c, next) => {
    if (!sessions.has(c.req.param("platform") ?? "")) return c.json({ error: "unknown platform" }, 404);
    await next();
  });
  const session = (id: string) => sessions.get(id)!.session;
  app.get("/api/:platform/people", (c) => c.json({ items: session(c.req.param("platform")).people() }));
  app.get("/api/:platform/chats", (c) =>
    c.json({ items: session(c.req.param("platform")).chats(c.req.query("as") ?? "") }),
  );
  app.get("/api/:platform/chats/:chat/messages", (c) =>
    c.json({ items: session(c.req.param("platform")).messages(c.req.param("chat")) }),
  );
  app.post("/api/:platform/chats/:chat/messages", async (c) => {
    const body = sendSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: "as and text are required" }, 400);
    await session(c.req.param("platform")).send(c.req.param("chat"), body.data.as, body.data.text);
    return c.json({ ok: true });
  });
  app.post("/api/:platform/click", async (c) => {
    const body = clickSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: "as, messageId and value are required" }, 400);
    const { as, messageId, value, fields } = body.data;
    return c.json(await session(c.req.param("platform")).click(messageId, as, value, fields));
  });
  ctx.app.route("/playground", app);
  return {
    platforms: [...sessions.values()].map(({ session }) => session.platform),
    async stop() {
      for (const { session } of sessions.values()) await session.stop();
    },
  };
}
