import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

const PHONE = "13812345678";
const PHONE_IN_TEXT = "13987654321";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("ticket API (sandbox)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  const create = (body: unknown, as = "agent-li") => s.call("POST", "/api/v1/tickets", { body, as });

  it("serves /healthz in sandbox mode", async () => {
    const res = await s.call("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, mode: "sandbox" });
  });

  it("creates, starts, resolves and reopens a ticket through the API", async () => {
    const created = await create({
      description: `X200 无法开机，客户备用电话 ${PHONE_IN_TEXT}`,
      customer: { name: "张先生", phone: PHONE, type: "vip" },
      department: "tech",
      priority: "urgent",
      demand: ["repair"],
      channel: "phone",
    });
    expect(created.status).toBe(201);
    const t = created.body;
    expect(t.number).toMatch(/^CS\d{6}\d{4}$/);
    expect(t).toMatchObject({ status: "pending", version: 1, department: "tech", firstContact: "agent-li" });
    expect(t.customer.phone).toBe("138****5678");
    expect(t.description).toContain("139****4321");
    expect(t.due.firstResponse).toBeTruthy();
    expect(t.due.resolution).toBeTruthy();
    // Routing gave it to an engineer of the department.
    expect(["head-tech", "eng-liu", "eng-sun", "eng-emma"]).toContain(t.owner);

    const started = await s.call("POST", `/api/v1/tickets/${t.number}/start`, {
      body: { version: 1 },
      as: t.owner,
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: "in_progress", owner: t.owner });
    expect(started.body.firstResponseAt).toBeTruthy();

    const resolved = await s.call("POST", `/api/v1/tickets/${t.number}/resolve`, {
      body: { version: started.body.version, solution: "更换电源板" },
      as: t.owner,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe("resolved");

    const reopened = await s.call("POST", `/api/v1/tickets/${t.number}/reopen`, {
      body: { version: resolved.body.version, reason: "客户反馈仍无法开机" },
      as: "agent-li",
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body.status).toBe("in_progress");

    const fetched = await s.call("GET", `/api/v1/tickets/${t.number}`, { as: "eng-sun" });
    expect(fetched.body.timeline.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(["created", "started", "resolved", "reopened"]),
    );
  });

  it("gives unique numbers under 200 concurrent creates", async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => create({ description: `并发创建 ${i}`, department: "support" })),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const numbers = results.map((r) => r.body.number as string);
    expect(new Set(numbers).size).toBe(200);
    const seqs = numbers.map((n) => Number(n.slice(-4))).sort((a, b) => a - b);
    expect(seqs.at(-1)! - seqs[0]!).toBe(199);
  });

  it("names the bad field with 400 and writes nothing", async () => {
    const before = await s.call("GET", "/api/v1/tickets?limit=200&status=pending,in_progress,resolved");
    const res = await create({ description: "", customer: { type: "king" } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation");
    expect(res.body.error.message).toMatch(/description/);
    expect(res.body.error.messages.en).toMatch(/customer\.type/);
    const unknownKey = await create({ description: "x", colour: "red" });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.messages.en).toMatch(/colour/);
    const badJson = await s.call("POST", "/api/v1/tickets", { body: "{not json", as: "agent-li" });
    expect(badJson.status).toBe(400);
    const badDept = await create({ description: "x", department: "nowhere" });
    expect(badDept.status).toBe(400);
    expect(badDept.body.error.messages.en).toContain("department");
    const after = await s.call("GET", "/api/v1/tickets?limit=200&status=pending,in_progress,resolved");
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it("answers 404, 413, 403, 409 and 422 with JSON errors", async () => {
    expect((await s.call("GET", "/nope")).status).toBe(404);
    expect((await s.call("GET", "/api/v1/tickets/CS2099010001")).status).toBe(404);
    const big = await create({ description: "x".repeat(70_000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("payload_too_large");

    const t = (await create({ description: "物流很慢", department: "logistics" })).body;
    const forbidden = await s.call("POST", `/api/v1/tickets/${t.number}/start`, {
      body: { version: 1 },
      as: "eng-liu",
    });
    expect(forbidden.status).toBe(403);
    const missing = await s.call("POST", `/api/v1/tickets/${t.number}/resolve`, {
      body: { version: 1 },
      as: "eng-ma",
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.messages.en).toContain("solution");
    const invalid = await s.call("POST", `/api/v1/tickets/${t.number}/reopen`, {
      body: { version: 1, reason: "x" },
      as: "eng-ma",
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.messages.en).toContain("pending");
    const unknownCommand = await s.call("POST", `/api/v1/tickets/${t.number}/explode`, {
      body: {},
      as: "eng-ma",
    });
    expect(unknownCommand.status).toBe(404);

    await s.call("POST", `/api/v1/tickets/${t.number}/claim`, { body: { version: 1 }, as: "eng-ma" });
    const stale = await s.call("POST", `/api/v1/tickets/${t.number}/start`, {
      body: { version: 1 },
      as: "head-logistics",
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.messages["zh-CN"]).toContain("马超");
    expect(stale.body.error.details.changes[0]).toMatchObject({ actor: "eng-ma", change: "assigned" });
    const unchanged = await s.call("GET", `/api/v1/tickets/${t.number}`);
    expect(unchanged.body).toMatchObject({ status: "pending", version: 2 });
  });

  it("lets exactly one of two concurrent conflicting commands win", async () => {
    const t = (await create({ description: "退款申请", department: "returns" })).body;
    const [a, b] = await Promise.all([
      s.call("POST", `/api/v1/tickets/${t.number}/start`, { body: { version: 1 }, as: "eng-wu" }),
      s.call("POST", `/api/v1/tickets/${t.number}/resolve`, {
        body: { version: 1, solution: "已退款" },
        as: "head-returns",
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });

  it("filters the list and pages with a cursor", async () => {
    const mine = await s.call("GET", "/api/v1/tickets?owner=eng-liu");
    expect(mine.body.items.every((t: { owner: string }) => t.owner === "eng-liu")).toBe(true);
    const byPhone = await s.call("GET", `/api/v1/tickets?q=${PHONE}`);
    expect(byPhone.body.items.length).toBeGreaterThan(0);
    expect(byPhone.text).not.toContain(PHONE);
    const first = await s.call("GET", "/api/v1/tickets?limit=5");
    expect(first.body.items).toHaveLength(5);
    const second = await s.call(
      "GET",
      `/api/v1/tickets?limit=5&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    const overlap = second.body.items.filter((x: { number: string }) =>
      first.body.items.some((y: { number: string }) => y.number === x.number),
    );
    expect(overlap).toEqual([]);
    const bad = await s.call("GET", "/api/v1/tickets?status=lost");
    expect(bad.status).toBe(400);
    expect(bad.body.error.messages.en).toContain("query.status");
  });

  it("reveals a contact only on request, to the allowed, and records it", async () => {
    const t = (await create({ description: "查询保修", customer: { phone: PHONE }, department: "tech" }))
      .body;
    const denied = await s.call("POST", `/api/v1/tickets/${t.number}/reveal-contact`, {
      body: {},
      as: "eng-sun",
    });
    expect(denied.status).toBe(403);
    expect(denied.text).not.toContain(PHONE);
    const admin = await s.call("GET", `/api/v1/tickets/${t.number}`, { as: "admin" });
    expect(admin.text).not.toContain(PHONE);
    const shown = await s.call("POST", `/api/v1/tickets/${t.number}/reveal-contact`, {
      body: {},
      as: "agent-li",
    });
    expect(shown.status).toBe(200);
    expect(shown.body.customer.phone).toBe(PHONE);
    const later = await s.call("GET", `/api/v1/tickets/${t.number}`, { as: "agent-li" });
    expect(later.body.customer.phone).toBe("138****5678");
    expect(later.body.timeline.at(-1)).toMatchObject({ type: "contact_revealed", actor: "agent-li" });
  });

  it("keeps raw phone numbers out of the logs and the data files", async () => {
    expect(s.logs.length).toBeGreaterThan(10);
    const logText = s.logs.join("");
    expect(logText).not.toContain(PHONE);
    expect(logText).not.toContain(PHONE_IN_TEXT);
    for (const file of filesUnder(s.dataDir)) {
      const content = readFileSync(file, "utf8");
      expect(content, file).not.toContain(PHONE);
      expect(content, file).not.toContain(PHONE_IN_TEXT);
    }
  });
});

describe("authentication", () => {
  const TOKEN = "test-token-0123456789abcdef";
  const directory = {
    departments: [{ id: "tech", name: "技术支持组", head: "zhang", members: ["liu"] }],
    people: [
      { id: "zhang", name: "张伟", roles: ["head", "engineer"], departments: ["tech"] },
      { id: "liu", name: "刘洋", roles: ["engineer"], departments: ["tech"] },
    ],
  };

  it("refuses an invalid bearer token in sandbox mode too", async () => {
    const s = await startTestServer({ env: { CLOSELOOP_API_TOKEN: TOKEN } });
    try {
      const bad = await s.call("GET", "/api/v1/tickets", {
        headers: { authorization: "Bearer wrong-token" },
      });
      expect(bad.status).toBe(401);
      const good = await s.call("GET", "/api/v1/tickets", { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(good.status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it("outside sandbox needs a token and ignores X-Closeloop-As", async () => {
    const s = await startTestServer({
      env: { CLOSELOOP_API_TOKEN: TOKEN, FEISHU_APP_ID: "cli_test", CLOSELOOP_SECRET_KEY: "ab".repeat(32) },
      config: { directory } as never,
    });
    try {
      expect((await s.call("GET", "/healthz")).body.mode).toBe("live");
      expect((await s.call("GET", "/api/v1/tickets", { as: "zhang" })).status).toBe(401);
      const created = await s.call("POST", "/api/v1/tickets", {
        body: { description: "API 创建", department: "tech" },
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(created.status).toBe(201);
      expect(created.body.firstContact).toBe("api");
    } finally {
      await s.stop();
    }
  });

  it("refuses to start outside sandbox without a secret key", async () => {
    await expect(
      startTestServer({ env: { FEISHU_APP_ID: "cli_test" }, config: { directory } as never }),
    ).rejects.toThrow(/CLOSELOOP_SECRET_KEY/);
  });
});
