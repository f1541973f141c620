import { readFile } from "node:fs/promises";
import { Hono } from "hono";
import { adaptiveCardsScriptPath, DEFAULT_SCRIPT_URL, galleryHtml } from "../../cards/preview/gallery.ts";
import type { HttpEnv } from "./env.ts";

/** Sandbox only: every card for every platform, rendered from sample tickets, to look at in a browser. */
export function cardGalleryRoutes(): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  let page: string | undefined;
  app.get("/", (c) => {
    page ??= galleryHtml({ scriptUrl: DEFAULT_SCRIPT_URL });
    return c.html(page);
  });
  app.get("/adaptivecards.min.js", async (c) =>
    c.body(await readFile(adaptiveCardsScriptPath()), 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=86400",
    }),
  );
  return app;
}
