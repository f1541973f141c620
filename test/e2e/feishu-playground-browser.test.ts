import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const run = chromiumAvailable();
let s: TestServer;
let b: TestBrowser;

beforeAll(async () => {
  if (!run) return;
  s = await startTestServer();
  b = await launchBrowser();
});
afterAll(async () => {
  if (!run) return;
  await b.close();
  await s.stop();
});

describe.runIf(run)("playground page (Feishu), in a browser", () => {
  it("a message typed in the group becomes a ticket card whose button works", async () => {
    const ctx = await b.newContext();
    const page = await ctx.newPage();
    await page.goto(`${s.url}/playground`);
    await page.locator("#person option[value='agent-li']").waitFor({ state: "attached" });
    await page.locator("nav button").first().waitFor();
    await page.fill("#text", "新工单 客户李女士的Y300平板死机无法开机");
    await page.click("form.send button");
    const card = page.locator(".card.feishu").filter({ hasText: "Y300" }).first();
    await card.waitFor({ timeout: 10_000 });

    const list = await s.call("GET", "/api/v1/tickets?q=Y300");
    const owner = list.body.items[0].owner as string;
    await page.locator("#person").selectOption(owner);
    await page.locator(".card.feishu").filter({ hasText: "Y300" }).first().waitFor();
    await page
      .locator(".card.feishu")
      .filter({ hasText: "Y300" })
      .first()
      .getByRole("button", { name: "开始处理" })
      .click();
    await expect.poll(() => page.locator("#toast").textContent()).toContain("已开始处理");
    await expect
      .poll(async () => (await s.call("GET", `/api/v1/tickets/${list.body.items[0].number}`)).body.status)
      .toBe("in_progress");
    await ctx.close();
  });
});
