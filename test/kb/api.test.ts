import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

describe("knowledge-base API (/api/v1/kb)", () => {
  let s: TestServer;
  let refundId: string;
  beforeAll(async () => {
    s = await startTestServer({ config: { knowledge: { staleAfterDays: 90 } } });
    const made = await s.call("POST", "/api/v1/kb/articles", {
      as: "head-support",
      body: {
        title: "退款申请流程",
        body: "在订单详情页点击**申请退款**，审核通过后原路退回。",
        tags: ["退款"],
        problemType: "after_sales",
      },
    });
    expect(made.status).toBe(201);
    refundId = made.body.id;
    expect(made.text).not.toContain("undefined");
    await s.call("POST", "/api/v1/kb/articles", {
      as: "admin",
      body: {
        title: "包裹迟迟未送达",
        body: "快递没到时先查物流轨迹，三天不更新就催件。",
        tags: ["物流", "快递"],
        reviewedAt: new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10),
      },
    });
    await s.call("POST", "/api/v1/kb/articles", {
      as: "admin",
      body: { title: "发票重开", body: "在我的发票中作废后重新开具。", tags: ["发票"] },
    });
  });
  afterAll(async () => {
    await s.stop();
  });

  it("refuses an agent who tries to write, in both languages, and writes nothing", async () => {
    const res = await s.call("POST", "/api/v1/kb/articles", {
      as: "agent-li",
      headers: { "accept-language": "en" },
      body: { title: "x", body: "y" },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("forbidden");
    expect(res.body.error.message).toContain("knowledge editors");
    expect(res.body.error.messages["zh-CN"]).toContain("知识库编辑");
    const edit = await s.call("PATCH", `/api/v1/kb/articles/${refundId}`, {
      as: "eng-liu",
      body: { rev: 1, title: "篡改" },
    });
    expect(edit.status).toBe(403);
    expect((await s.call("GET", `/api/v1/kb/articles/${refundId}`, { as: "agent-li" })).body.title).toBe(
      "退款申请流程",
    );
  });

  it("answers a bad body with 400 naming the fields, and an unknown article with 404", async () => {
    const bad = await s.call("POST", "/api/v1/kb/articles", {
      as: "admin",
      body: { title: "", body: "x".repeat(20_001), extra: 1 },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(["title", "body"]));
    expect((await s.call("GET", "/api/v1/kb/articles/kb-nope", { as: "admin" })).status).toBe(404);
    expect((await s.call("GET", "/api/v1/kb/articles?limit=1000", { as: "admin" })).status).toBe(400);
  });

  it("searches Chinese without spaces, filters by tag and stale, and lists everything without a query", async () => {
    const q = await s.call("GET", `/api/v1/kb/articles?q=${encodeURIComponent("快递没到")}`, {
      as: "agent-li",
    });
    expect(q.status).toBe(200);
    expect(q.body.items[0]).toMatchObject({ title: "包裹迟迟未送达", stale: true, ownerName: "陈静" });
    const tag = await s.call("GET", `/api/v1/kb/articles?tag=${encodeURIComponent("退款")}`, {
      as: "agent-li",
    });
    expect(tag.body.items.map((a: { id: string }) => a.id)).toEqual([refundId]);
    const stale = await s.call("GET", "/api/v1/kb/articles?stale=true", { as: "agent-li" });
    expect(stale.body.items.map((a: { title: string }) => a.title)).toEqual(["包裹迟迟未送达"]);
    const all = await s.call("GET", "/api/v1/kb/articles", { as: "agent-li" });
    expect(all.body.total).toBe(3);
  });

  it("updates with the revision the editor saw; an edit on an old revision is a 409", async () => {
    const a = (await s.call("GET", `/api/v1/kb/articles/${refundId}`, { as: "admin" })).body;
    const ok = await s.call("PATCH", `/api/v1/kb/articles/${refundId}`, {
      as: "head-support",
      body: { rev: a.rev, body: `${a.body}\n到账时间 1-3 个工作日。`, reviewed: true },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.rev).toBe(a.rev + 1);
    const late = await s.call("PATCH", `/api/v1/kb/articles/${refundId}`, {
      as: "admin",
      body: { rev: a.rev, title: "旧版本上的修改" },
    });
    expect(late.status).toBe(409);
    const search = await s.call("GET", `/api/v1/kb/articles?q=${encodeURIComponent("到账时间")}`, {
      as: "admin",
    });
    expect(search.body.items[0].id).toBe(refundId);
  });

  it("gives the board drawer the ticket's suggestions, and sends and records feedback as the caller", async () => {
    // only a platform's adapter may say a ticket came from its chat
    const made = await s.closeloop.service.create(
      { actor: "agent-li", via: "feishu" },
      {
        description: "客户问怎么申请退款",
        department: "support",
        origin: { platform: "feishu", chatId: "oc_kb_api", messageId: "om_kb_api" },
      },
    );
    const n = made.state.number;
    const drawer = await s.call("GET", `/api/v1/kb/tickets/${n}/suggestions`, { as: "agent-li" });
    expect(drawer.status).toBe(200);
    expect(drawer.body.items.length).toBeLessThanOrEqual(3);
    expect(drawer.body.items[0]).toMatchObject({ id: refundId, title: "退款申请流程" });

    const refused = await s.call("POST", `/api/v1/kb/tickets/${n}/send`, {
      as: "eng-liu",
      body: { article: refundId },
    });
    expect(refused.status).toBe(403);
    const first = await s.call("POST", `/api/v1/kb/tickets/${n}/send`, {
      as: "agent-li",
      body: { article: refundId },
    });
    const second = await s.call("POST", `/api/v1/kb/tickets/${n}/send`, {
      as: "agent-li",
      body: { article: refundId },
    });
    expect([first.status, first.body.sent, second.status, second.body.sent]).toEqual([200, true, 200, false]);
    expect(second.body.items[0]).toMatchObject({ id: refundId, sentBy: "agent-li" });
    const use = await s.closeloop.store.getDoc("kb-uses", `${n}:${refundId}`);
    expect(use?.rev).toBe(1);

    const marked = await s.call("POST", `/api/v1/kb/tickets/${n}/feedback`, {
      as: "agent-li",
      body: { article: refundId, outcome: "solved" },
    });
    expect(marked.status).toBe(200);
    expect(marked.body.article).toMatchObject({ solved: 1, unsolved: 0 });
    expect(marked.body.items[0].outcome).toBe("solved");
    const badOutcome = await s.call("POST", `/api/v1/kb/tickets/${n}/feedback`, {
      as: "agent-li",
      body: { article: refundId, outcome: "maybe" },
    });
    expect(badOutcome.status).toBe(400);
  });

  it("refuses to send for a ticket that is in no chat", async () => {
    const web = await s.call("POST", "/api/v1/tickets", {
      as: "agent-li",
      body: { description: "怎么申请退款", department: "support" },
    });
    const res = await s.call("POST", `/api/v1/kb/tickets/${web.body.number}/send`, {
      as: "agent-li",
      body: { article: refundId },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.messages["zh-CN"]).toContain("不在任何聊天中");
  });

  it("needs a signed-in caller", async () => {
    const res = await fetch(`${s.url}/api/v1/kb/articles`, { headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
  });
});
