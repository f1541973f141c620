import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDomainError } from "../../core/errors.ts";
import { ARTICLES } from "../../core/kb/article.ts";
import { USES } from "../../core/kb/uses.ts";
import { ZH_CORPUS } from "./corpus.ts";
import { as, type KbWorld, kbWorld, START } from "./support.ts";

const DAY = 86_400_000;

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

let w: KbWorld;
afterEach(async () => {
  await w.dispose();
});

describe("editing articles", () => {
  beforeEach(async () => {
    w = await kbWorld();
  });

  it("refuses agents and engineers, and writes nothing for them", async () => {
    for (const actor of ["agent-li", "eng-liu"]) {
      const e = await refusal(w.kb.create(as(actor), { title: "退款", body: "正文" }));
      expect(e.code).toBe("forbidden");
      expect(e.text["zh-CN"]).toContain("知识库编辑");
      expect(e.text.en).toContain("knowledge editors");
    }
    expect((await w.store.listDocs(ARTICLES, { limit: 10 })).items).toHaveLength(0);

    const made = await w.kb.create(as("head-support"), { title: "退款流程", body: "在订单页申请" });
    const e = await refusal(w.kb.update(as("agent-li"), made.id, { rev: made.rev, title: "改掉" }));
    expect(e.code).toBe("forbidden");
    expect((await w.store.getDoc(ARTICLES, made.id))?.data.title).toBe("退款流程");
    expect(w.kb.search({ q: "改掉", limit: 5 }).items).toEqual([]);
  });

  it("lets editors, heads and admins write; an editor is a role in the directory", async () => {
    const dir = w.directory;
    dir.learn({ id: "kb-wang", name: "王编辑", roles: ["editor"], departments: [] });
    for (const actor of ["kb-wang", "head-tech", "admin"]) {
      const a = await w.kb.create(as(actor), { title: `文章 ${actor}`, body: "内容" });
      expect(a.owner).toBe(actor);
      expect(a.createdBy).toBe(actor);
    }
    expect(w.kb.size).toBe(3);
  });

  it("names each bad field and writes nothing on bad input", async () => {
    const bad: [unknown, string][] = [
      [{ title: "", body: "x" }, "title"],
      [{ title: "t", body: "x".repeat(20_001) }, "body"],
      [{ title: "t", body: "x", tags: ["a,b"] }, "tags.0"],
      [{ title: "t", body: "x", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
      [{ title: "t", body: "x", reviewedAt: "yesterday" }, "reviewedAt"],
      [{ title: "t", body: "x", script: "<script>" }, "(body)"],
      ["not an object", "(body)"],
    ];
    for (const [body, field] of bad) {
      const e = await refusal(w.kb.create(as("admin"), body));
      expect(e.code).toBe("validation");
      const fields = (e.details.issues as { field: string }[]).map((i) => i.field);
      expect(fields).toContain(field);
    }
    const owner = await refusal(w.kb.create(as("admin"), { title: "t", body: "x", owner: "nobody" }));
    expect(owner.text.en).toContain('owner: no person "nobody"');
    expect((await w.store.listDocs(ARTICLES, { limit: 10 })).items).toHaveLength(0);
  });

  it("an edit made on an old revision is a conflict, and the newer text stays", async () => {
    const a = await w.kb.create(as("admin"), { title: "退款流程", body: "旧" });
    const first = await w.kb.update(as("admin"), a.id, { rev: a.rev, body: "第一次修改" });
    expect(first.rev).toBe(a.rev + 1);
    const e = await refusal(w.kb.update(as("head-support"), a.id, { rev: a.rev, body: "基于旧版本的修改" }));
    expect(e.code).toBe("conflict");
    expect(e.details.rev).toBe(first.rev);
    expect(w.kb.get(a.id).body).toBe("第一次修改");
  });

  it("keeps the index in step with writes, and rebuilds the same index from the store on start", async () => {
    await w.seed(ZH_CORPUS);
    const refund = w.kb.get("refund");
    await w.kb.update(as("admin"), "refund", { rev: refund.rev, title: "退款与到账时间", tags: ["到账"] });
    expect(w.kb.search({ q: "到账", limit: 3 }).items[0]?.id).toBe("refund");
    const fresh = await w.reload();
    expect(fresh.size).toBe(ZH_CORPUS.length);
    for (const q of ["到账", "快递没到", "发票开错了"])
      expect(fresh.search({ q, limit: 3 }).items.map((i) => i.id)).toEqual(
        w.kb.search({ q, limit: 3 }).items.map((i) => i.id),
      );
  });
});

describe("suggestions, sending and feedback", () => {
  beforeEach(async () => {
    w = await kbWorld();
    await w.seed(ZH_CORPUS);
  });

  it("suggests the three most relevant articles for a new ticket", async () => {
    const t = await w.ticket({ description: "客户问怎么申请退款，钱多久能退回" });
    const s = w.kb.suggestionsFor(t.state);
    expect(s).toHaveLength(3);
    expect(s[0]).toMatchObject({ id: "refund", title: "退款申请流程", stale: false, solved: 0 });
    expect(s[0]!.excerpt).toContain("申请退款");
    const logistics = await w.ticket({ description: "快递没到" });
    expect(w.kb.suggestionsFor(logistics.state)[0]?.id).toBe("logistics");
    const unrelated = await w.ticket({ description: "今天天气不错" });
    expect(w.kb.suggestionsFor(unrelated.state)).toEqual([]);
  });

  it("sends an answer into the ticket's chat through the outbox once, however often the click arrives", async () => {
    const t = await w.ticket({ description: "怎么申请退款" });
    const n = t.state.number;
    const [a, b] = await Promise.all([
      w.kb.send(as("agent-li"), n, "refund"),
      w.kb.send(as("agent-li"), n, "refund"),
    ]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    const again = await w.kb.send(as("head-support"), n, "refund");
    expect(again.duplicate).toBe(true);
    const due = await w.store.dueOutbox(new Date(Date.parse(START) + DAY).toISOString(), 50);
    const answers = due.filter((r) => r.kind === "kb_answer");
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({
      key: `${n}:kb_answer:refund`,
      recipient: "chat:feishu:oc_group",
      ticket: n,
      payload: {
        chat: { platform: "feishu", chatId: "oc_group", messageId: t.state.origin.messageId },
        article: { id: "refund", title: "退款申请流程" },
        by: "agent-li",
      },
    });
    const use = await w.store.getDoc(USES, `${n}:refund`);
    expect(use?.data).toMatchObject({ sentBy: "agent-li", sentAt: expect.any(String) });
    expect(w.kb.suggestionsFor(t.state)[0]).toMatchObject({ id: "refund", sentBy: "agent-li" });
  });

  it("refuses a sender who may not work the ticket, a ticket in no chat, and an unknown article", async () => {
    const t = await w.ticket({ description: "怎么申请退款" });
    const other = await refusal(w.kb.send(as("eng-liu"), t.state.number, "refund"));
    expect(other.code).toBe("forbidden");
    const web = await w.ticket({ description: "怎么申请退款", origin: { platform: "web" } });
    const none = await refusal(w.kb.send(as("agent-li"), web.state.number, "refund"));
    expect(none.code).toBe("validation");
    expect(none.text["zh-CN"]).toContain("不在任何聊天中");
    const missing = await refusal(w.kb.send(as("agent-li"), t.state.number, "nope"));
    expect(missing.code).toBe("not_found");
    const noTicket = await refusal(w.kb.send(as("agent-li"), "CS209901999", "refund"));
    expect(noTicket.code).toBe("not_found");
    const due = await w.store.dueOutbox(new Date(Date.parse(START) + DAY).toISOString(), 50);
    expect(due.filter((r) => r.kind === "kb_answer")).toEqual([]);
  });

  it("ranks by feedback: solved marks lift an article above an equally relevant one, unsolved marks sink it", async () => {
    const body = "退款到账时间：原路退回，一般 1-3 个工作日。";
    w.directory.learn({ id: "kb-ed", name: "编辑", roles: ["editor"], departments: [] });
    const first = await w.kb.create(as("kb-ed"), { title: "退款到账", body });
    const second = await w.kb.create(as("kb-ed"), { title: "退款到账", body });
    const [lower, higher] = [first.id, second.id].sort();
    const order = () => w.kb.search({ q: "退款到账", limit: 2 }).items.map((i) => i.id);
    expect(order()).toEqual([lower, higher]);

    const t1 = await w.ticket({ description: "退款多久到账" });
    const t2 = await w.ticket({ description: "退款多久到账" });
    await w.kb.mark(as("agent-li"), t1.state.number, higher!, "solved");
    expect(order()).toEqual([higher, lower]);
    expect(w.kb.get(higher!)).toMatchObject({ solved: 1, unsolved: 0 });

    await w.kb.mark(as("agent-li"), t1.state.number, higher!, "unsolved");
    await w.kb.mark(as("agent-li"), t2.state.number, lower!, "solved");
    expect(w.kb.get(higher!)).toMatchObject({ solved: 0, unsolved: 1 });
    expect(order()).toEqual([lower, higher]);
    // The same mark twice counts once.
    await w.kb.mark(as("agent-li"), t2.state.number, lower!, "solved");
    expect(w.kb.get(lower!)).toMatchObject({ solved: 1, unsolved: 0 });

    const t3 = await w.ticket({ description: "退款多久能到账" });
    expect(w.kb.suggestionsFor(t3.state)[0]?.id).toBe(lower);
    // Marked "not solved" on t1: not suggested for t1 again.
    expect(w.kb.suggestionsFor(t1.state).map((s) => s.id)).not.toContain(higher);

    const fresh = await w.reload();
    expect(fresh.get(lower!)).toMatchObject({ solved: 1, unsolved: 0 });
    expect(fresh.get(higher!)).toMatchObject({ solved: 0, unsolved: 1 });
  });
});

describe("stale articles", () => {
  it("flags articles not reviewed in the configured number of days, until someone reviews them", async () => {
    w = await kbWorld({ staleAfterDays: 30 });
    const old = new Date(Date.parse(START) - 31 * DAY).toISOString().slice(0, 10);
    const recent = new Date(Date.parse(START) - 29 * DAY).toISOString().slice(0, 10);
    const a = await w.kb.create(as("admin"), { title: "退款流程（旧）", body: "旧规定", reviewedAt: old });
    const b = await w.kb.create(as("admin"), { title: "退款流程（新）", body: "新规定", reviewedAt: recent });
    expect(a).toMatchObject({ stale: true, reviewedDaysAgo: 31 });
    expect(b.stale).toBe(false);
    expect(w.kb.search({ stale: true, limit: 10 }).items.map((i) => i.id)).toEqual([a.id]);
    const t = await w.ticket({ description: "退款流程" });
    const flags = Object.fromEntries(w.kb.suggestionsFor(t.state).map((s) => [s.id, s.stale]));
    expect(flags).toEqual({ [a.id]: true, [b.id]: false });

    const reviewed = await w.kb.update(as("admin"), a.id, { rev: a.rev, reviewed: true });
    expect(reviewed).toMatchObject({ stale: false, reviewedDaysAgo: 0 });
    w.clock.advance(31 * DAY);
    expect(w.kb.get(a.id).stale).toBe(true);
  });
});
