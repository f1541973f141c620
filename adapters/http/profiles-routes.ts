import { Hono } from "hono";
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import type { CustomerProfiles } from "../../core/profiles/service.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import { parseInput } from "../../core/validate.ts";
import type { HttpEnv } from "./env.ts";
import { customerView } from "./profile-view.ts";
import { readJson } from "./read-json.ts";

const findQuery = z
  .object({
    phone: z.string().trim().min(1).max(40).optional(),
    customerId: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((q) => q.phone !== undefined || q.customerId !== undefined, {
    message: "give phone or customerId",
  });

const noProfile = {
  "zh-CN": "没有匹配的客户档案",
  en: "No customer profile matches",
} as const;

/**
 * /api/v1/customers: look a customer up by phone (through its keyed hash) or id, read a profile with its history,
 * change its name, organisation, type and tags (role-gated, at the version read), and a ticket's customer.
 */
export function customerRoutes(customers: CustomerProfiles, service: TicketService): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const reader = (actor: string) => {
    const person = service.person(actor);
    customers.checkRead(person);
    return person;
  };
  const viewOf = async (id: string, except?: string) => {
    const profile = await customers.get(id);
    const [history, recent] = await Promise.all([
      customers.history(profile, except),
      customers.recentTickets(profile, except),
    ]);
    return customerView(profile, history, recent);
  };

  // A POST, so a phone number never sits in a URL (and so in no proxy's access log).
  app.post("/lookup", async (c) => {
    reader(c.get("actor"));
    const q = parseInput(findQuery, await readJson(c));
    const found = await customers.find(q);
    if (!found) throw new DomainError("not_found", noProfile, {});
    c.header("Cache-Control", "no-store");
    return c.json(await viewOf(found.id));
  });

  app.get("/by-ticket/:number", async (c) => {
    reader(c.get("actor"));
    const record = await service.get(c.req.param("number"));
    const profile = await customers.forTicket(record);
    if (!profile) throw new DomainError("not_found", noProfile, { ticket: record.state.number });
    return c.json(await viewOf(profile.id, record.state.number));
  });

  app.get("/:id", async (c) => {
    reader(c.get("actor"));
    return c.json(await viewOf(c.req.param("id")));
  });

  app.patch("/:id", async (c) => {
    const person = service.person(c.get("actor"));
    customers.checkRead(person);
    const updated = await customers.update(person, c.req.param("id"), await readJson(c));
    return c.json(await viewOf(updated.id));
  });

  return app;
}
