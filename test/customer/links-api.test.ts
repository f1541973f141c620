import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { confirmedTicket, type Harness, harness, pathOf } from "./harness.ts";

describe("the agents' customer-links API", () => {
  let h: Harness;
  let number: string;

  beforeAll(async () => {
    h = await harness();
    const t = await h.cl.service.create(
      { actor: "agent-li", via: "api" },
      { description: "X200 无法开机", department: "tech", owner: "eng-liu" },
    );
    number = t.state.number;
  });
  afterAll(async () => h?.close());

  it("issues a status link with a phone code, shown once and stored only as keyed hashes", async () => {
    const res = await h.request("POST", `/api/v1/tickets/${number}/customer-links/status`, {
      as: "agent-li",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.json).toMatchObject({ kind: "status", number, lookupUrl: "http://localhost/status" });
    expect(res.json.url).toMatch(/^http:\/\/localhost\/status\?t=[A-Za-z0-9_-]{32}$/);
    expect(res.json.code).toMatch(/^\d{4} \d{4}$/);

    const token = new URL(res.json.url).searchParams.get("t")!;
    const stored = h.storedBytes();
    expect(stored).toContain("customer_link_tokens");
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(0, 12));
    expect(stored).not.toContain(token.slice(12));
    expect(stored).not.toContain(res.json.code.replace(" ", ""));
    // Nor do the logs carry it.
    expect(h.logs.join("\n")).not.toContain(token);

    const page = await h.request("GET", pathOf(res.json.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain(number);

    const summary = await h.request("GET", `/api/v1/tickets/${number}/customer-links`, { as: "eng-liu" });
    expect(summary.status).toBe(200);
    expect(summary.json.status).toMatchObject({ active: true, issuedBy: "agent-li", issuedByName: "李娜" });
    expect(summary.json.survey).toEqual({ active: false });
    expect(summary.json.history).toMatchObject([{ kind: "status", action: "issued", by: "agent-li" }]);
    expect(JSON.stringify(summary.json)).not.toContain(token);
  });

  it("replaces the old link when a new one is issued, and revokes on DELETE", async () => {
    const first = await h.request("POST", `/api/v1/tickets/${number}/customer-links/status`, {
      as: "eng-liu",
    });
    const second = await h.request("POST", `/api/v1/tickets/${number}/customer-links/status`, {
      as: "eng-liu",
    });
    expect(second.status).toBe(201);
    expect((await h.request("GET", pathOf(first.json.url))).status).toBe(404);
    expect((await h.request("GET", pathOf(second.json.url))).status).toBe(200);

    const revoked = await h.request("DELETE", `/api/v1/tickets/${number}/customer-links/status`, {
      as: "eng-liu",
    });
    expect(revoked.status).toBe(200);
    expect(revoked.json.status).toEqual({ active: false });
    expect(revoked.json.history.map((e: { action: string }) => e.action)).toEqual([
      "issued",
      "replaced",
      "replaced",
      "revoked",
    ]);
    expect((await h.request("GET", pathOf(second.json.url))).status).toBe(404);
    const code = await h.request("POST", "/status", {
      form: { number, code: second.json.code, form: "" },
    });
    expect(code.status).not.toBe(200);
    // Revoking again changes nothing and says so.
    const again = await h.request("DELETE", `/api/v1/tickets/${number}/customer-links/status`, {
      as: "eng-liu",
    });
    expect(again.status).toBe(200);
    expect(again.json.history).toHaveLength(4);
  });

  it("refuses callers without credentials, and people who may not share the ticket", async () => {
    const anonymous = await h.request("POST", `/api/v1/tickets/${number}/customer-links/status`, {
      from: "203.0.113.20",
    });
    expect(anonymous.status).toBe(401);
    // An engineer of another department neither works the ticket nor took it.
    const outsider = await h.request("POST", `/api/v1/tickets/${number}/customer-links/status`, {
      as: "eng-wu",
    });
    expect(outsider.status).toBe(403);
    expect(outsider.json.error.messages["zh-CN"]).toContain("进度链接");
    const unknownKind = await h.request("POST", `/api/v1/tickets/${number}/customer-links/invoice`, {
      as: "agent-li",
    });
    expect(unknownKind.status).toBe(404);
    const unknownTicket = await h.request("POST", "/api/v1/tickets/CS209912999/customer-links/status", {
      as: "agent-li",
    });
    expect(unknownTicket.status).toBe(404);
    const summary = await h.request("GET", `/api/v1/tickets/${number}/customer-links`, { as: "agent-li" });
    expect(summary.json.history).toHaveLength(4);
  });

  it("gives a survey link only once the customer confirmed, to the person who follows up", async () => {
    const early = await h.request("POST", `/api/v1/tickets/${number}/customer-links/survey`, {
      as: "agent-li",
    });
    expect(early.status).toBe(422);
    expect(early.json.error.messages.en).toContain("confirmed");

    const confirmed = await confirmedTicket(h);
    const engineer = await h.request("POST", `/api/v1/tickets/${confirmed}/customer-links/survey`, {
      as: "eng-wu",
    });
    expect(engineer.status).toBe(403);
    const res = await h.request("POST", `/api/v1/tickets/${confirmed}/customer-links/survey`, {
      as: "agent-li",
    });
    expect(res.status).toBe(201);
    expect(res.json.url).toMatch(/^http:\/\/localhost\/survey\?t=[A-Za-z0-9_-]{32}$/);
    expect(res.json.code).toBeUndefined();
    // A survey token opens no status page.
    const token = new URL(res.json.url).searchParams.get("t")!;
    expect((await h.request("GET", `/status?t=${token}`)).status).toBe(404);
  });

  it("uses customerLinks.baseUrl for the links when set", async () => {
    const other = await harness({ customerLinks: { baseUrl: "https://support.example.com/ignored/path" } });
    try {
      const t = await other.cl.service.create({ actor: "agent-li", via: "api" }, { description: "查询物流" });
      const res = await other.request("POST", `/api/v1/tickets/${t.state.number}/customer-links/status`, {
        as: "agent-li",
      });
      expect(res.json.url).toMatch(/^https:\/\/support\.example\.com\/status\?t=/);
      expect(res.json.lookupUrl).toBe("https://support.example.com/status");
    } finally {
      await other.close();
    }
  });
});
