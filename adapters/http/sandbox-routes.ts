import { Hono } from "hono";
import type { SandboxInbox } from "../sandbox/inbox-sink.ts";
import type { HttpEnv } from "./env.ts";

/** Sandbox only: the notifications that would have gone to chat, newest last (?recipient= or ?mine=1). */
export function sandboxRoutes(inbox: SandboxInbox): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.get("/notifications", (c) => {
    const recipient = c.req.query("mine") ? c.get("actor") : c.req.query("recipient");
    return c.json({ items: inbox.list(recipient) });
  });
  return app;
}
