import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchBrowser, signIn, type TestBrowser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const HOSTILE_TITLE = "<script>window.__pwned = 1</script>退款申请流程";
const HOSTILE_BODY = [
  '在订单详情页点击**申请退款**。<img src=x onerror="window.__pwned = 2"> <at id=all></at> @all',
  '[点我](javascript:window.__pwned=3) <a href="javascript:window.__pwned=4">也点我</a>',
  "退款进度见 [售后中心](https://shop.example.test/after-sales)",
].join("\n\n");

const pwned = (p: Page) => p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);

describe.skipIf(!chromiumAvailable())("the knowledge base on the board, in a real Chromium", () => {
  let s: TestServer;
  let b: TestBrowser;
  let number: string;
  let articleId: string;

  beforeAll(async () => {
    s = await startTestServer();
    b = await launchBrowser();
    const article = await s.call("POST", "/api/v1/kb/articles", {
      as: "head-support",
      body: { title: HOSTILE_TITLE, body: HOSTILE_BODY, tags: ["退款"] },
    });
    expect(article.status).toBe(201);
    articleId = article.body.id;
    // only a platform's adapter may say a ticket came from its chat
    const ticket = await s.closeloop.service.create(
      { actor: "agent-li", via: "feishu" },
      {
        description: "客户问怎么申请退款",
        department: "support",
        origin: { platform: "feishu", chatId: "oc_board_kb", messageId: "om_board_kb" },
      },
    );
    number = ticket.state.number;
  });
  afterAll(async () => {
    await b?.close();
    await s?.stop();
  });

  it("suggests the article in the drawer, shows hostile text as text, sends it and records the answer", async () => {
    const ctx = await b.newContext();
    const page = await ctx.newPage();
    await signIn(page, s.url, "agent-li", `/board/tickets/${number}`);
    const item = page.locator(".kb-suggestions .kb-item").first();
    await item.waitFor();
    expect(await item.locator("strong").first().textContent()).toBe(HOSTILE_TITLE);
    await item.getByRole("button", { name: "阅读全文" }).click();
    const article = item.locator(".kb-article");
    await article.waitFor();
    expect(await article.textContent()).toContain("<at id=all></at> @all");
    expect(await article.locator("strong").textContent()).toBe("申请退款");
    const hrefs = await article.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual(["https://shop.example.test/after-sales"]);
    expect(await page.locator(".kb-suggestions script, .kb-suggestions img").count()).toBe(0);
    await page
      .locator(".kb-suggestions a")
      .first()
      .click({ modifiers: ["Control"] })
      .catch(() => {});
    expect(await pwned(page)).toBeUndefined();

    await item.getByRole("button", { name: "发送到聊天" }).click();
    await expect.poll(() => page.locator(".kb-status").textContent()).toContain("已发送");
    await page.locator('.kb-item [data-kb-action="solved"]').click();
    await expect.poll(() => page.locator(".kb-status").textContent()).toContain("解决了问题");
    const use = await s.closeloop.store.getDoc("kb-uses", `${number}:${articleId}`);
    expect(use?.data).toMatchObject({ sentBy: "agent-li", outcome: "solved", markedBy: "agent-li" });
    await ctx.close();
  });

  it("lets an agent read articles but not edit them; a head writes one that search then finds", async () => {
    const agentCtx = await b.newContext();
    const agent = await agentCtx.newPage();
    await signIn(agent, s.url, "agent-li", "/board/kb");
    await agent.waitForSelector("html[data-ready='true']");
    expect(await agent.getByRole("button", { name: "新建文章" }).count()).toBe(0);
    await agent.locator(".kb-results button.link").first().click();
    await agent.locator(".kb-detail .kb-article").waitFor();
    expect(await agent.locator(".kb-detail").textContent()).toContain("只有知识库编辑");
    expect(await pwned(agent)).toBeUndefined();
    await agentCtx.close();

    const headCtx = await b.newContext();
    const head = await headCtx.newPage();
    await signIn(head, s.url, "head-billing", "/board/kb");
    await head.waitForSelector("html[data-ready='true']");
    await head.getByRole("button", { name: "新建文章" }).click();
    await head.locator('.kb-editor input[name="title"]').fill("发票抬头开错了如何重开");
    await head.locator('.kb-editor textarea[name="body"]').fill("在「我的发票」中申请作废，再重新开具。");
    await head.locator('.kb-editor input[name="tags"]').fill("发票，开票");
    await head.getByRole("button", { name: "保存" }).click();
    await head.locator(".kb-detail h2", { hasText: "发票抬头开错了如何重开" }).waitFor();
    await head.locator("#kb-q").fill("发票开错了");
    await head.getByRole("button", { name: "搜索" }).click();
    await expect
      .poll(() => head.locator(".kb-results li button.link").first().textContent())
      .toBe("发票抬头开错了如何重开");
    const saved = await s.call("GET", `/api/v1/kb/articles?q=${encodeURIComponent("开票")}`, { as: "admin" });
    expect(saved.body.items[0]).toMatchObject({ tags: ["发票", "开票"], createdBy: "head-billing" });
    await headCtx.close();
  });
});
