/**
 * Screenshots of the board, its drawer and the stats page into docs/board/, from a sandbox server with the
 * demo tickets. Run: npm run board:screenshots (needs /usr/bin/chromium and fonts-noto-cjk).
 */
import { join } from "node:path";
import { boardReady, launchBrowser, signIn } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";

const OUT = join(import.meta.dirname, "..", "..", "docs", "board");

const s = await startTestServer({ seedDemo: true });
const b = await launchBrowser();
try {
  const ctx = await b.newContext({ locale: "zh-CN" });
  const page = await ctx.newPage();
  await signIn(page, s.url, "head-tech");
  await boardReady(page);
  await page.screenshot({ path: join(OUT, "board.zh-CN.png") });
  await page.locator(".tile").first().click();
  await page.waitForSelector(".drawer:not([hidden]) .fields");
  await page.screenshot({ path: join(OUT, "drawer.zh-CN.png") });
  const headPage = await (await b.newContext({ locale: "zh-CN" })).newPage();
  await signIn(headPage, s.url, "head-support", "/board/late");
  await headPage.waitForSelector("html[data-ready='true']");
  await headPage.screenshot({ path: join(OUT, "late.zh-CN.png") });
  await page.goto(`${s.url}/board/stats`);
  await page.waitForSelector("html[data-ready='true']");
  await page.screenshot({ path: join(OUT, "stats.zh-CN.png"), fullPage: true });
  const en = await b.newContext({ locale: "en", colorScheme: "dark" });
  const p2 = await en.newPage();
  await signIn(p2, s.url, "eng-emma");
  await boardReady(p2);
  await p2.screenshot({ path: join(OUT, "board.en.dark.png") });
  process.stdout.write(`screenshots in ${OUT}\n`);
} finally {
  await b.close();
  await s.stop();
}
