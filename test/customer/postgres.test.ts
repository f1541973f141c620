import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, type ThrowAwayDatabase, throwAwayDatabase } from "../support/postgres.ts";
import { confirmedTicket, formTokenOf, type Harness, harness, pathOf } from "./harness.ts";

const available = await postgresAvailable("customer links on PostgreSQL");

describe.skipIf(!available)("customer links on PostgreSQL", () => {
  let db: ThrowAwayDatabase;
  let h: Harness;

  beforeAll(async () => {
    db = await throwAwayDatabase("customer");
    h = await harness({}, db.url);
  });
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  const storedDocs = async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ collection: string; id: string; data: string }[]>`
        SELECT collection, id, data::text AS data FROM docs ORDER BY collection, id`;
      return rows;
    } finally {
      await sql.end({ timeout: 1 });
    }
  };

  it("issues, opens and revokes a status link, keeping only keyed hashes in the docs table", async () => {
    const t = await h.cl.service.create(
      { actor: "agent-li", via: "api" },
      { description: "物流延误", department: "logistics" },
    );
    const n = t.state.number;
    const link = (await h.request("POST", `/api/v1/tickets/${n}/customer-links/status`, { as: "agent-li" }))
      .json;
    expect((await h.request("GET", pathOf(link.url))).status).toBe(200);
    const form = await h.request("GET", "/status");
    const byCode = await h.request("POST", "/status", {
      form: { number: n, code: link.code, form: formTokenOf(form.text) },
    });
    expect(byCode.status).toBe(200);

    const token = new URL(link.url).searchParams.get("t")!;
    const rows = await storedDocs();
    expect(rows.map((r) => r.collection).sort()).toEqual([
      "customer_link_codes",
      "customer_link_tokens",
      "customer_links",
    ]);
    const all = JSON.stringify(rows);
    expect(all).not.toContain(token.slice(0, 12));
    expect(all).not.toContain(token.slice(12));
    expect(all).not.toContain(link.code.replace(" ", ""));

    await h.request("DELETE", `/api/v1/tickets/${n}/customer-links/status`, { as: "agent-li" });
    expect((await h.request("GET", pathOf(link.url))).status).toBe(404);
    expect((await storedDocs()).map((r) => r.collection)).toEqual(["customer_links"]);
  });

  it("records one survey answer through the ticket's command, remedy included", async () => {
    const n = await confirmedTicket(h);
    const path = pathOf(
      (await h.request("POST", `/api/v1/tickets/${n}/customer-links/survey`, { as: "agent-li" })).json.url,
    );
    const page = await h.request("GET", path);
    const t = new URL(path, "http://x").searchParams.get("t")!;
    const form = { t, form: formTokenOf(page.text), resolutionScore: "1", attitudeScore: "3" };
    expect((await h.request("POST", "/survey", { form })).status).toBe(303);
    expect((await h.request("POST", "/survey", { form })).status).toBe(409);
    const state = (await h.cl.service.get(n)).state;
    expect(state.survey).toMatchObject({
      resolutionScore: 1,
      attitudeScore: 3,
      method: "online_survey",
      by: "agent-li",
    });
    expect(state.remedy?.openedAt).toBe(state.survey?.at);
  });
});
