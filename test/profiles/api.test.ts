import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

describe("customer profiles over the API (sandbox)", () => {
  let s: TestServer;
  let first: string;
  let second: string;
  let id: string;
  beforeAll(async () => {
    s = await startTestServer();
    const create = async (phone: string, description: string) => {
      const res = await s.call("POST", "/api/v1/tickets", {
        as: "agent-li",
        body: { description, customer: { name: "张先生", phone }, department: "tech" },
      });
      expect(res.status).toBe(201);
      return res.body;
    };
    first = (await create("13800138000", "咨询 X200 保修")).number;
    const t2 = await create("+86 138 0013 8000", "咨询 X200 配件");
    second = t2.number;
    expect(t2.customer).toMatchObject({ type: "returning", history: { tickets: 1 } });
  });
  afterAll(async () => {
    await s.stop();
  });

  it("looks a customer up by phone in any formatting (POST: no phone in a URL), contacts masked", async () => {
    const res = await s.call("POST", "/api/v1/customers/lookup", {
      as: "eng-liu",
      body: { phone: "138-0013-8000" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: "returning",
      ticketCount: 2,
      phones: ["138****8000"],
      version: 2,
    });
    expect(res.body.recent.map((t: { number: string }) => t.number)).toEqual([second, first]);
    expect(res.text).not.toContain("13800138000");
    id = res.body.id;

    const missing = await s.call("POST", "/api/v1/customers/lookup", { body: { phone: "13900000000" } });
    expect(missing.status).toBe(404);
    const empty = await s.call("POST", "/api/v1/customers/lookup", { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toContain("phone or customerId");
  });

  it("gives the drawer a ticket's customer with that ticket left out of the history", async () => {
    const res = await s.call("GET", `/api/v1/customers/by-ticket/${second}`, { as: "head-tech" });
    expect(res.status).toBe(200);
    expect(res.body.history).toMatchObject({ profileId: id, tickets: 1, open: 1 });
    expect(res.body.recent.map((t: { number: string }) => t.number)).toEqual([first]);
    const anonymous = await s.call("POST", "/api/v1/tickets", {
      as: "agent-li",
      body: { description: "没有留下联系方式的咨询" },
    });
    const none = await s.call("GET", `/api/v1/customers/by-ticket/${anonymous.body.number}`);
    expect(none.status).toBe(404);
  });

  it("refuses by role and writes nothing; a head may make a customer VIP, which raises the next ticket", async () => {
    const patch = (as: string, body: unknown) => s.call("PATCH", `/api/v1/customers/${id}`, { as, body });

    const engineer = await patch("eng-liu", { version: 2, name: "张伟先生" });
    expect(engineer.status).toBe(403);
    expect(engineer.body.error.code).toBe("forbidden");
    const agentVip = await patch("agent-li", { version: 2, type: "vip" });
    expect(agentVip.status).toBe(403);
    expect(agentVip.body.error.messages.en).toContain("VIP");
    expect((await s.call("GET", `/api/v1/customers/${id}`)).body.version).toBe(2);

    const unknownField = await patch("head-support", { version: 2, phone: "13800138000" });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.details.issues[0].field).toBe("(body)");
    const tooMany = await patch("head-support", {
      version: 2,
      tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.issues[0].field).toBe("tags");

    const head = await patch("head-support", { version: 2, type: "vip", tags: ["高价值", "技术型"] });
    expect(head.status).toBe(200);
    expect(head.body).toMatchObject({
      version: 3,
      type: "vip",
      tags: ["high_value", "technical"],
      updatedBy: "head-support",
    });
    const stale = await patch("admin", { version: 2, name: "x" });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toMatchObject({ version: 3, updatedBy: "head-support" });
    expect((await s.call("GET", "/api/v1/customers/cu-nope")).status).toBe(404);

    const next = await s.call("POST", "/api/v1/tickets", {
      as: "agent-li",
      body: { description: "咨询 X200 说明书", customer: { phone: "13800138000" }, department: "tech" },
    });
    expect(next.body).toMatchObject({
      priority: "urgent",
      customer: { type: "vip", tags: ["high_value", "technical"] },
    });
    expect(next.body.rules).toContainEqual({ rule: "vip-customer", field: "priority", value: "urgent" });
  });
});

describe("weekly review over the API (sandbox)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  it("is for the department's head, the heads above and admins", async () => {
    const get = (as: string, query = "") => s.call("GET", `/api/v1/reviews/weekly${query}`, { as });
    expect((await get("eng-liu")).status).toBe(403);
    expect((await get("agent-li")).status).toBe(403);
    expect((await get("head-tech", "?department=returns")).status).toBe(403);

    const own = await get("head-tech", "?week=2026-W47");
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({
      department: "tech",
      week: "2026-W47",
      previousWeek: "2026-W46",
      departments: ["tech"],
    });
    expect(own.body.review).toMatchObject({ department: "tech", total: 0, from: "2026-11-15T16:00:00.000Z" });
    const above = await get("head-support", "?department=tech&week=2026-W47");
    expect(above.status).toBe(200);
    expect((await get("admin", "?department=billing")).status).toBe(200);

    const bad = await get("admin", "?department=nope&week=2026-W99");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { field: string }) => i.field)).toEqual(["query.week"]);
    expect((await get("admin", "?department=nope")).body.error.details.issues[0].field).toBe(
      "query.department",
    );
  });
});
