/**
 * Phone screenshots of the customer pages, and the board drawer's link buttons, into docs/customer/.
 * Run: npm run customer:screenshots (needs /usr/bin/chromium and fonts-noto-cjk).
 */
import { join } from "node:path";
import { boardReady, launchBrowser, signIn } from "../support/browser.ts";
import { startTestServer } from "../support/server.ts";
import { PHONE } from "./phone.ts";

const OUT = join(import.meta.dirname, "..", "..", "docs", "customer");

const s = await startTestServer();
const b = await launchBrowser();
const call = async (path: string, as: string, body: unknown = {}) => {
  const res = await s.call("POST", path, { as, body });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`);
  return res.body;
};
try {
  const working = await call("/api/v1/tickets", "agent-li", {
    description: "X200 打印机无法开机，充电指示灯不亮",
    customer: { name: "张先生", phone: "13800138000" },
    department: "tech",
    owner: "eng-liu",
  });
  await call(`/api/v1/tickets/${working.number}/start`, "eng-liu", { version: working.version });
  const done = await call("/api/v1/tickets", "agent-li", {
    description: "外壳破损，要求换货",
    department: "returns",
    owner: "eng-wu",
  });
  const resolved = await call(`/api/v1/tickets/${done.number}/resolve`, "eng-wu", {
    version: done.version,
    solution: "已换新",
  });
  await call(`/api/v1/tickets/${done.number}/confirm`, "agent-li", {
    version: resolved.version,
    result: "confirmed",
  });

  const agent = await b.newContext({ locale: "zh-CN" });
  await agent.grantPermissions(["clipboard-read", "clipboard-write"], { origin: s.url });
  const board = await agent.newPage();
  await signIn(board, s.url, "agent-li", `/board/tickets/${working.number}`);
  await boardReady(board);
  const section = board.locator(".drawer [data-section=customer-links]");
  await section.locator("[data-action=create-status]").click();
  await section.locator("input[data-link=url]").waitFor();
  const statusUrl = await section.locator("input[data-link=url]").inputValue();
  await section.scrollIntoViewIfNeeded();
  await board.locator(".drawer").screenshot({ path: join(OUT, "drawer-links.zh-CN.png") });

  const surveyUrl = (await call(`/api/v1/tickets/${done.number}/customer-links/survey`, "agent-li")).url;

  const zh = await (await b.browser.newContext({ ...PHONE, locale: "zh-CN" })).newPage();
  await zh.goto(statusUrl);
  await zh.screenshot({ path: join(OUT, "status.zh-CN.png"), fullPage: true });
  await zh.goto(surveyUrl);
  await zh.screenshot({ path: join(OUT, "survey.zh-CN.png"), fullPage: true });
  await zh.locator("[data-field=resolutionScore] label:has(input[value='2'])").click();
  await zh.locator("[data-field=attitudeScore] label:has(input[value='4'])").click();
  await zh.getByRole("button", { name: "提交评价" }).click();
  await zh.locator("[data-outcome]").first().waitFor();
  await zh.screenshot({ path: join(OUT, "survey-thanks.zh-CN.png"), fullPage: true });

  const en = await (await b.browser.newContext({ ...PHONE, locale: "en", colorScheme: "dark" })).newPage();
  await en.goto(`${statusUrl}&lang=en`);
  await en.screenshot({ path: join(OUT, "status.en.dark.png"), fullPage: true });
  await en.goto(`${s.url}/status?lang=en`);
  await en.screenshot({ path: join(OUT, "lookup.en.dark.png"), fullPage: true });
  process.stdout.write(`screenshots in ${OUT}\n`);
} finally {
  await b.close();
  await s.stop();
}
