import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

/** Signs in through the sandbox provider; returns the cookie and CSRF token a board page would hold. */
async function session(s: TestServer, person: string) {
  const res = await fetch(`${s.url}/board/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ provider: "sandbox", code: person }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const body = (await res.json()) as { csrf: string };
  return { cookie, csrf: body.csrf };
}

describe("board API and sessions (sandbox)", () => {
  let s: TestServer;
  let number: string;
  beforeAll(async () => {
    s = await startTestServer();
    const created = await s.call("POST", "/api/v1/tickets", {
      as: "agent-li",
      body: { description: "发票抬头开错\n第二行", department: "billing", customer: { type: "vip" } },
    });
    number = created.body.number;
  });
  afterAll(async () => {
    await s.stop();
  });

  it("refuses an unknown person and an unknown provider", async () => {
    for (const body of [
      { provider: "sandbox", code: "nobody" },
      { provider: "feishu", code: "x" },
    ]) {
      const res = await fetch(`${s.url}/board/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("sends a signed-out browser to sign in, and serves the page with a strict policy once signed in", async () => {
    const out = await fetch(`${s.url}/board?priority=urgent`, { redirect: "manual" });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/board/sign-in?next=%2Fboard%3Fpriority%3Durgent");
    const { cookie } = await session(s, "head-billing");
    const page = await fetch(`${s.url}/board`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/frame-ancestors 'self' .*https:\/\/teams\.microsoft\.com/);
    const html = await page.text();
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).toContain('"viewer":{"id":"head-billing"');
  });

  it("acts as the session's person, through the web surface, only with the CSRF token", async () => {
    const { cookie, csrf } = await session(s, "head-billing");
    const board = await s.call("GET", "/api/v1/board", { headers: { cookie } });
    expect(board.status).toBe(200);
    expect(board.body.viewer).toBe("head-billing");
    const tile = board.body.columns.pending.find((t: { number: string }) => t.number === number);
    expect(tile).toMatchObject({ title: "发票抬头开错", customerType: "vip", department: "billing" });
    expect(tile.actions).toEqual(expect.arrayContaining(["start", "resolve"]));

    const noToken = await s.call("POST", `/api/v1/tickets/${number}/start`, {
      headers: { cookie, "x-closeloop-csrf": "wrong" },
      body: { version: tile.version },
    });
    expect(noToken.status).toBe(401);
    const started = await s.call("POST", `/api/v1/tickets/${number}/start`, {
      headers: { cookie, "x-closeloop-csrf": csrf },
      body: { version: tile.version },
    });
    expect(started.status).toBe(200);
    expect(started.body.timeline.find((e: { type: string }) => e.type === "started")).toMatchObject({
      type: "started",
      actor: "head-billing",
      via: "web",
    });
  });

  it("has the same permissions as cards: an agent may not start a billing ticket", async () => {
    const { cookie, csrf } = await session(s, "agent-zhou");
    const tile = (await s.call("GET", `/api/v1/board/tiles/${number}`, { headers: { cookie } })).body;
    expect(tile.actions).not.toContain("resolve");
    expect(tile.actions).toContain("nudge");
    const refused = await s.call("POST", `/api/v1/tickets/${number}/resolve`, {
      headers: { cookie, "x-closeloop-csrf": csrf },
      body: { version: tile.version, solution: "x" },
    });
    expect(refused.status).toBe(403);
  });

  it("streams changes as server-sent events, drawn for the watcher", async () => {
    const { cookie } = await session(s, "eng-he");
    const controller = new AbortController();
    const res = await fetch(`${s.url}/api/v1/board/events?department=billing`, {
      headers: { cookie },
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        text += decoder.decode(value);
      }
    };
    await until("event: hello");
    expect(text).toContain('"viewer":"eng-he"');
    await s.call("POST", `/api/v1/tickets/${number}/comment`, {
      as: "agent-li",
      body: { text: "客户来电询问" },
    });
    await until("event: tiles");
    const data = JSON.parse(text.split("event: tiles\n")[1]!.split("\n")[0]!.slice("data: ".length));
    expect(data.upsert[0]).toMatchObject({ number, department: "billing" });
    controller.abort();
  });

  it("answers /api/v1/stats with the review figures", async () => {
    const stats = await s.call("GET", "/api/v1/stats?weeks=4", { as: "admin" });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({
      weeks: 4,
      total: 1,
      resolutionRate: { resolved: 0, total: 1, target: 0.9 },
    });
    expect(stats.body.byProblemType).toHaveLength(1);
    expect(Object.keys(stats.body)).toEqual(
      expect.arrayContaining([
        "firstResponse",
        "resolution",
        "slaBreachByDepartment",
        "satisfactionByWeek",
        "topProblems",
      ]),
    );
    expect((await s.call("GET", "/api/v1/stats?weeks=99", { as: "admin" })).status).toBe(400);
  });
});
