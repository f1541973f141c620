import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  boardReady,
  chromiumAvailable,
  launchBrowser,
  signIn,
  type TestBrowser,
} from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const HOSTILE = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> 打印机卡纸`;

describe.skipIf(!chromiumAvailable())("the board in a real Chromium", () => {
  let s: TestServer;
  let b: TestBrowser;
  let head: BrowserContext;
  let page: Page;

  const create = async (body: Record<string, unknown>) => {
    const res = await s.call("POST", "/api/v1/tickets", { as: "agent-li", body });
    expect(res.status).toBe(201);
    return res.body as { number: string; owner: string; version: number };
  };
  const ticket = async (number: string) => (await s.call("GET", `/api/v1/tickets/${number}`)).body;
  const tile = (p: Page, number: string) => p.locator(`.tile[data-number="${number}"]`);
  const column = (p: Page, status: string) => p.locator(`.column[data-status="${status}"]`);

  beforeAll(async () => {
    s = await startTestServer();
    b = await launchBrowser();
    head = await b.newContext();
    page = await head.newPage();
    await signIn(page, s.url, "head-tech");
    await boardReady(page);
  });
  afterAll(async () => {
    await b?.close();
    await s?.stop();
  });

  let first: { number: string; owner: string };
  let hostile: { number: string };

  it("shows tickets created through the API live, without a reload, and hostile text as text", async () => {
    await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 42;
    });
    first = await create({
      description: "X200 无法开机，充电指示灯不亮",
      customer: { name: "张先生", phone: "13800138000", type: "vip" },
      department: "tech",
      priority: "urgent",
      evidence: ["https://example.test/photo.jpg", "javascript:alert(1)"],
    });
    hostile = await create({ description: HOSTILE, department: "tech", priority: "low" });
    await expect.poll(() => tile(page, first.number).count()).toBe(1);
    await expect.poll(() => tile(page, hostile.number).count()).toBe(1);
    // Same page: the marker survived, so nothing reloaded.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    await expect.poll(() => column(page, "pending").locator(".tile").count()).toBe(2);

    const title = await tile(page, hostile.number).locator(".title").textContent();
    expect(title).toContain("<script>window.__pwned = 1</script>");
    expect(await page.locator(".tile script, .tile img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await tile(page, first.number).textContent()).toContain("VIP");
  });

  it("drags a ticket to in progress", async () => {
    await tile(page, first.number).dragTo(column(page, "in_progress").locator(".lane"));
    await expect
      .poll(() => column(page, "in_progress").locator(`[data-number="${first.number}"]`).count())
      .toBe(1);
    const t = await ticket(first.number);
    expect(t.status).toBe("in_progress");
    const started = t.timeline.find((e: { type: string }) => e.type === "started");
    expect(started).toMatchObject({ actor: "head-tech", via: "web" });
  });

  it("snaps a refused move back and says why", async () => {
    await tile(page, first.number).dragTo(column(page, "pending").locator(".lane"));
    await expect.poll(() => page.locator(".toast.error").last().textContent()).toContain("不能从");
    expect(await column(page, "in_progress").locator(`[data-number="${first.number}"]`).count()).toBe(1);
    expect((await ticket(first.number)).status).toBe("in_progress");
  });

  it("resolves by keyboard, asking for the solution", async () => {
    await tile(page, first.number).focus();
    await page.keyboard.press("r");
    const dialog = page.locator("dialog.ask");
    await dialog.locator("textarea").fill("更换电源板后恢复正常");
    await dialog.getByRole("button", { name: "提交" }).click();
    await expect
      .poll(() => column(page, "resolved").locator(`[data-number="${first.number}"]`).count())
      .toBe(1);
    const t = await ticket(first.number);
    expect(t).toMatchObject({ status: "resolved", solution: "更换电源板后恢复正常" });
  });

  it("reopens by dragging back, asking for the reason", async () => {
    await tile(page, first.number).dragTo(column(page, "in_progress").locator(".lane"));
    const dialog = page.locator("dialog.ask");
    await dialog.locator("textarea").fill("客户反馈仍无法开机");
    await dialog.getByRole("button", { name: "提交" }).click();
    await expect.poll(async () => (await ticket(first.number)).status).toBe("in_progress");
    expect((await ticket(first.number)).reopenReason).toBe("客户反馈仍无法开机");
    await expect
      .poll(() => column(page, "in_progress").locator(`[data-number="${first.number}"]`).count())
      .toBe(1);
  });

  it("nudges the owner once, then shows the rate-limit state", async () => {
    const agent = await b.newContext();
    const p = await agent.newPage();
    await signIn(p, s.url, "agent-li");
    await boardReady(p);
    const button = tile(p, first.number).locator("button.nudge");
    await expect.poll(() => button.isEnabled()).toBe(true);
    await button.click();
    await expect.poll(() => p.locator(".toast").last().textContent()).toContain("已催办");
    await expect.poll(() => tile(p, first.number).locator("button.nudge").isDisabled()).toBe(true);
    expect(await tile(p, first.number).locator("button.nudge").textContent()).toContain("后可再次催办");
    expect(await tile(p, first.number).textContent()).toContain("催办 1 次");
    // The head's board heard about it live.
    await expect.poll(() => tile(page, first.number).textContent()).toContain("催办 1 次");
    // The server agrees: a second nudge inside the window is refused.
    const again = await s.call("POST", `/api/v1/tickets/${first.number}/nudge`, {
      as: "agent-zhou",
      body: {},
    });
    expect(again.status).toBe(429);
    await agent.close();
  });

  it("filters by URL", async () => {
    const p = await head.newPage();
    await p.goto(`${s.url}/board?priority=low&department=tech`);
    await boardReady(p);
    await expect.poll(() => p.locator(".tile").count()).toBe(1);
    expect(await p.locator(".tile").first().getAttribute("data-number")).toBe(hostile.number);
    expect(await p.locator("#filter-priority").inputValue()).toBe("low");
    // A filter chosen on the page goes into the URL, to share.
    await p.locator("#filter-priority").selectOption("urgent");
    await expect.poll(() => new URL(p.url()).searchParams.get("priority")).toBe("urgent");
    await expect.poll(() => p.locator(`.tile[data-number="${first.number}"]`).count()).toBe(1);
    await p.close();
  });

  it("opens the drawer, reveals the contact (audited) and keeps it open through live updates", async () => {
    const agent = await b.newContext();
    const p = await agent.newPage();
    await signIn(p, s.url, "agent-li");
    await boardReady(p);
    await tile(p, first.number).click();
    const drawer = p.locator(".drawer");
    await expect.poll(() => drawer.isVisible()).toBe(true);
    await expect.poll(() => drawer.locator("[data-phone]").textContent()).toBe("138****8000");
    expect(new URL(p.url()).pathname).toBe(`/board/tickets/${first.number}`);
    await drawer.locator("[data-action=reveal]").click();
    await expect.poll(() => drawer.locator("[data-phone]").textContent()).toBe("13800138000");
    expect(
      (await ticket(first.number)).timeline.some((e: { type: string }) => e.type === "contact_revealed"),
    ).toBe(true);

    await drawer.locator(".drawer-body").evaluate((el) => {
      el.scrollTop = 120;
    });
    const before = await drawer.locator(".drawer-body").evaluate((el) => el.scrollTop);
    await s.call("POST", `/api/v1/tickets/${first.number}/comment`, {
      as: "eng-liu",
      body: { text: "<b>已联系客户</b>" },
    });
    await expect.poll(() => drawer.locator(".comments").textContent()).toContain("<b>已联系客户</b>");
    expect(await drawer.isVisible()).toBe(true);
    expect(await drawer.locator(".comments b").count()).toBe(0);
    expect(await drawer.locator(".drawer-body").evaluate((el) => el.scrollTop)).toBe(before);

    // The hostile description in the drawer is text too.
    await p.goto(`${s.url}/board/tickets/${hostile.number}`);
    await expect.poll(() => p.locator(".drawer .description").textContent()).toContain("<script>");
    expect(await p.locator(".drawer script, .drawer img").count()).toBe(0);
    expect(await p.locator(".evidence a").count()).toBe(0);
    await agent.close();
  });

  it("shows evidence links only for http(s) addresses", async () => {
    const p = await head.newPage();
    await p.goto(`${s.url}/board/tickets/${first.number}`);
    await expect.poll(() => p.locator(".evidence li").count()).toBe(2);
    expect(await p.locator(".evidence a").count()).toBe(1);
    expect(await p.locator(".evidence a").getAttribute("href")).toBe("https://example.test/photo.jpg");
    await p.close();
  });

  it("draws the stats page with ECharts", async () => {
    const p = await head.newPage();
    await p.goto(`${s.url}/board/stats`);
    await p.waitForSelector("html[data-ready='true']");
    expect(await p.locator(".chart svg").count()).toBeGreaterThanOrEqual(6);
    expect(await p.locator("figure.stat h2").first().textContent()).toBe("问题类型分布");
    await p.close();
  });
});
