import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { Person } from "../../core/directory/schema.ts";
import { scanTypedText } from "../../core/privacy/detect.ts";
import { computeStats } from "../../core/stats/stats.ts";
import { parseInput } from "../../core/validate.ts";
import type { HttpEnv } from "../http/env.ts";
import type { BoardDeps } from "./deps.ts";
import type { LiveBoard } from "./live.ts";
import { collect, loadColumns, loadLate, parseFilters } from "./query.ts";
import { type TileContext, tileOf } from "./tiles.ts";

const statsQuery = z.object({ weeks: z.coerce.number().int().min(1).max(52).default(12) }).strict();

export function tileContextOf(deps: BoardDeps): (viewer: Person, now: Date) => TileContext {
  return (viewer, now) => ({
    directory: deps.service.directory,
    sla: deps.sla,
    nudgeWindowMs: deps.nudgeWindowMs,
    viewer,
    now,
  });
}

/** The board's data, as the signed-in person (or any API caller): columns, the heads' view, live changes. */
export function boardApi(deps: BoardDeps, live: LiveBoard): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const tileContext = tileContextOf(deps);
  const viewerOf = (actor: string) => deps.service.person(actor);

  app.get("/", async (c) => {
    const filters = parseFilters(c.req.query());
    const now = deps.clock.now();
    const columns = await loadColumns(deps.service, filters, tileContext(viewerOf(c.get("actor")), now));
    // The filters echoed back, a phone number searched for masked like everywhere else.
    const echoed = filters.q === undefined ? filters : { ...filters, q: scanTypedText(filters.q).text };
    return c.json({ now: now.toISOString(), viewer: c.get("actor"), filters: echoed, columns });
  });

  app.get("/late", async (c) => {
    const now = deps.clock.now();
    const items = await loadLate(deps.service, tileContext(viewerOf(c.get("actor")), now));
    return c.json({ now: now.toISOString(), items });
  });

  app.get("/tiles/:number", async (c) => {
    const record = await deps.service.get(c.req.param("number"));
    const now = deps.clock.now();
    return c.json(tileOf(record, tileContext(viewerOf(c.get("actor")), now)));
  });

  app.get("/events", (c) => {
    const filters = parseFilters(c.req.query());
    const viewer = viewerOf(c.get("actor"));
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, (stream) => live.watch(stream, viewer, filters));
  });

  return app;
}

/** GET /api/v1/stats: the review figures (see core/stats) over the last `weeks` weeks. */
export function statsApi(deps: BoardDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.get("/", async (c) => {
    const { weeks } = parseInput(statsQuery, c.req.query(), "query");
    const stats = computeStats(await collect(deps.service, { includeArchived: true }), {
      now: deps.clock.now(),
      weeks,
      timeZone: deps.timeZone,
      businessMs: (t, from, to) => deps.sla.businessMsBetween(t, from, to),
    });
    return c.json({ weeks, timeZone: deps.timeZone, ...stats });
  });
  return app;
}
