import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchBrowser, signIn, type TestBrowser } from "../support/browser.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const WEDNESDAY_W47 = "2026-11-18T02:00:00.000Z";
const MONDAY_W48_10 = "2026-11-23T02:00:00.000Z";
const HOSTILE = `<img src=x onerror="window.__pwned = 1"> 打印机卡纸`;
const REVIEW = "/board/review?department=tech&week=2026-W47";

async function session(s: TestServer, person: string) {
  const res = await fetch(`${s.url}/board/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ provider: "sandbox", code: person }),
  });
  return { cookie: res.headers.get("set-cookie")!.split(";")[0]! };
}

const browserTests = chromiumAvailable();

describe("the weekly review page and the drawer's customer history", () => {
  let s: TestServer;
  let b: TestBrowser | undefined;
  let page: Page;
  const clock = new ManualClock(WEDNESDAY_W47);
  const numbers: string[] = [];

  beforeAll(async () => {
    s = await startTestServer({ clock });
    const create = async (body: Record<string, unknown>) => {
      const res = await s.call("POST", "/api/v1/tickets", {
        as: "agent-li",
        body: { department: "tech", ...body },
      });
      expect(res.status).toBe(201);
      numbers.push(res.body.number);
      return res.body;
    };
    const first = await create({
      description: "X200 无法开机",
      customer: { name: "张先生", phone: "13800138000" },
    });
    await create({ description: "X200 又无法开机了", customer: { phone: "138 0013 8000" } });
    await create({ description: HOSTILE });
    // The first one is answered, resolved, confirmed and scored low.
    const run = async (command: string, as: string, body: Record<string, unknown>) => {
      const current = (await s.call("GET", `/api/v1/tickets/${first.number}`)).body;
      const res = await s.call("POST", `/api/v1/tickets/${first.number}/${command}`, {
        as,
        body: { version: current.version, ...body },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await run("start", first.owner, {});
    await run("resolve", first.owner, { solution: "更换电源板" });
    await run("confirm", "agent-li", { result: "confirmed" });
    await run("survey", "agent-li", {
      resolutionScore: 2,
      attitudeScore: 2,
      method: "phone",
      suggestion: "太慢了",
    });
    clock.set(MONDAY_W48_10);
    expect(await s.closeloop.reviews.sendDue()).toBe(1);
    if (browserTests) {
      b = await launchBrowser();
      page = await (await b.newContext()).newPage();
      await signIn(page, s.url, "head-tech", REVIEW);
    }
  });
  afterAll(async () => {
    await b?.close();
    await s?.stop();
  });

  it("serves the page to a signed-in head and sends a signed-out browser to sign in", async () => {
    const out = await fetch(`${s.url}${REVIEW}`, { redirect: "manual" });
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe(`/board/sign-in?next=${encodeURIComponent(REVIEW)}`);
    const { cookie } = await session(s, "head-tech");
    const page = await fetch(`${s.url}${REVIEW}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-page="review"');
    expect(html).toContain('src="/board/assets/review.js"');
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const script = await fetch(`${s.url}/board/assets/review.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(1000);
    // The data behind it, as the head's session sees it (a board call carries its CSRF token).
    const api = await s.call("GET", "/api/v1/reviews/weekly?department=tech&week=2026-W47", {
      as: "head-tech",
    });
    expect(api.body.sent).toMatchObject({ sent: true, head: "head-tech", week: "2026-W47" });
    expect(api.body.review).toMatchObject({
      total: 3,
      lowScores: { count: 1 },
      satisfaction: { surveys: 1, points: 40 },
    });
  });

  describe.skipIf(!browserTests)("in a real Chromium", () => {
    it("shows the week's figures, the low score with what was done, and hostile text as text", async () => {
      await page.waitForSelector("html[data-ready='true']");
      expect(await page.locator("[data-week]").textContent()).toBe("2026-W47");
      expect(await page.locator("p.period").textContent()).toContain("张伟");
      expect(await page.locator("dl.review-figures dd").first().textContent()).toContain("3");
      const low = page.locator(`.low li[data-number="${numbers[0]}"]`);
      expect(await low.textContent()).toContain("太慢了");
      expect(await page.locator(".breaches").textContent()).toContain("<img src=x");
      expect(await page.locator("main img").count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await page.getByRole("link", { name: /上一周/ }).click();
      await page.waitForURL(/week=2026-W46/);
      await page.waitForSelector("html[data-ready='true']");
      expect(await page.locator("[data-week]").textContent()).toBe("2026-W46");
    });

    it("shows the customer's history in the ticket drawer", async () => {
      await page.goto(`${s.url}/board/tickets/${numbers[1]}`);
      const panel = page.locator("section.customer-history");
      await expect.poll(() => panel.isVisible()).toBe(true);
      const text = await panel.textContent();
      expect(text).toContain("老客户");
      expect(text).toContain("历史工单 1 张");
      expect(text).toContain("满意度 2/5");
      expect(await panel.locator(`a[href="/board/tickets/${numbers[0]}"]`).count()).toBe(1);
    });
  });
});
