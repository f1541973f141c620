import { Hono } from "hono";
import type { Clock } from "../../core/ports.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import { ticketView } from "../../core/ticket/view.ts";
import type { HttpEnv } from "./env.ts";
import { parseListQuery } from "./list-query.ts";
import { readJson } from "./read-json.ts";

/** The versioned ticket API: list, get, create, and one route per command. */
export function ticketRoutes(service: TicketService, clock: Clock): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const directory = service.directory;

  app.get("/", async (c) => {
    const query = parseListQuery(c.req.query(), clock.now(), (p) => service.phoneHash(p));
    const page = await service.list(query);
    return c.json({
      items: page.items.map((r) => ticketView(r, { directory, withTimeline: false })),
      nextCursor: page.nextCursor ?? null,
    });
  });

  app.post("/", async (c) => {
    const body = await readJson(c);
    const record = await service.create({ actor: c.get("actor"), via: c.get("via") }, body);
    return c.json(ticketView(record, { directory }), 201, {
      Location: `/api/v1/tickets/${encodeURIComponent(record.state.number)}`,
    });
  });

  app.get("/:number", async (c) => {
    const record = await service.get(c.req.param("number"));
    return c.json(ticketView(record, { directory }));
  });

  app.post("/:number/:command", async (c) => {
    const body = await readJson(c);
    const result = await service.execute(c.req.param("number"), c.req.param("command"), body, {
      actor: c.get("actor"),
      via: c.get("via"),
    });
    const revealedPhone = result.revealed ? service.revealPhone(result.record) : undefined;
    return c.json(ticketView(result.record, { directory, revealedPhone }), 200, {
      ...(result.revealed ? { "Cache-Control": "no-store" } : {}),
    });
  });

  return app;
}
