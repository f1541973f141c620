import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  boardReady,
  chromiumAvailable,
  launchBrowser,
  signIn,
  type TestBrowser,
} from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

describe.skipIf(!chromiumAvailable())("the board's export button in a real Chromium", () => {
  let s: TestServer;
  let b: TestBrowser;

  beforeAll(async () => {
    s = await startTestServer();
    for (const [department, phone] of [
      ["tech", "13911112222"],
      ["returns", "13933334444"],
    ]) {
      const res = await s.call("POST", "/api/v1/tickets", {
        as: "agent-li",
        body: { description: "=SUM(1,2) 无法开机", department, customer: { name: "张先生", phone } },
      });
      expect(res.status).toBe(201);
    }
    b = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await s?.stop();
  });

  it("downloads the board's department as the chosen format and dates, contacts masked", async () => {
    const context = await b.newContext();
    const page = await context.newPage();
    await signIn(page, s.url, "head-support", "/board?department=tech");
    await boardReady(page);
    await page.getByRole("button", { name: "导出" }).click();
    const dialog = page.locator("dialog.export");
    expect(await dialog.locator("p.muted").textContent()).toContain("技术支持组");
    await dialog.locator("#export-format").selectOption("csv");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      dialog.getByRole("button", { name: "下载" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^closeloop-records-tech-\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toContain("工单号,客户,联系方式");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("139****2222");
    expect(lines[1]).toContain("'=SUM(1,2)");
    expect(csv).not.toContain("13911112222");
    expect(csv).not.toContain("139****4444");
    await context.close();
  });

  it("says why when the server refuses, and offers nothing to those who may not export", async () => {
    const context = await b.newContext();
    const page = await context.newPage();
    await signIn(page, s.url, "head-tech", "/board?department=returns");
    await boardReady(page);
    await page.getByRole("button", { name: "导出" }).click();
    await page.locator("dialog.export").getByRole("button", { name: "下载" }).click();
    await page.locator(".toast.error").filter({ hasText: "returns" }).waitFor();

    const engineer = await context.newPage();
    await signIn(engineer, s.url, "eng-liu");
    await boardReady(engineer);
    expect(await engineer.locator("[data-export]").count()).toBe(0);
    await context.close();
  });
});
