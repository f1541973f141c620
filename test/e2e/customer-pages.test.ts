import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_DIRECTORY } from "../../adapters/sandbox/demo-directory.ts";
import { PHONE } from "../customer/phone.ts";
import {
  boardReady,
  chromiumAvailable,
  launchBrowser,
  signIn,
  type TestBrowser,
} from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

describe.skipIf(!chromiumAvailable())("the customer pages on a phone, and the board's link buttons", () => {
  let s: TestServer;
  let b: TestBrowser;
  let board: Page;
  let phone: BrowserContext;
  const cspErrors: string[] = [];

  const ok = async (method: string, path: string, as: string, body: unknown = {}) => {
    const res = await s.call(method, path, { as, body });
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return res.body;
  };
  const phonePage = async () => {
    const p = await phone.newPage();
    p.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    return p;
  };
  const noSideScroll = (p: Page) =>
    p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  const openDrawer = async (number: string) => {
    await board.goto(`${s.url}/board/tickets/${number}`);
    await boardReady(board);
    const section = board.locator(".drawer [data-section=customer-links]");
    await expect.poll(() => section.isVisible()).toBe(true);
    return section;
  };

  let working: string;
  let done: string;

  beforeAll(async () => {
    s = await startTestServer();
    b = await launchBrowser();
    phone = await b.browser.newContext({ ...PHONE, locale: "zh-CN" });
    const agent = await b.newContext();
    await agent.grantPermissions(["clipboard-read", "clipboard-write"], { origin: s.url });
    board = await agent.newPage();
    await signIn(board, s.url, "agent-li");
    await boardReady(board);

    const w = await ok("POST", "/api/v1/tickets", "agent-li", {
      description: "X200 无法开机，客户很着急",
      customer: { name: "张先生", phone: "13800138000" },
      department: "tech",
      owner: "eng-liu",
    });
    working = w.number;
    await ok("POST", `/api/v1/tickets/${working}/start`, "eng-liu", { version: w.version });
    await ok("POST", `/api/v1/tickets/${working}/comment`, "eng-liu", { text: "内部：需要返厂，刘洋跟进" });

    const d = await ok("POST", "/api/v1/tickets", "agent-li", {
      description: "外壳破损，要求换货",
      customer: { name: "李女士", phone: "13900139000" },
      department: "returns",
      owner: "eng-wu",
    });
    done = d.number;
    const resolved = await ok("POST", `/api/v1/tickets/${done}/resolve`, "eng-wu", {
      version: d.version,
      solution: "已换新",
    });
    await ok("POST", `/api/v1/tickets/${done}/confirm`, "agent-li", {
      version: resolved.version,
      result: "confirmed",
    });
  });
  afterAll(async () => {
    await b?.close();
    await s?.stop();
  });

  let statusUrl: string;
  let code: string;

  it("creates and copies the status link from the board drawer", async () => {
    const section = await openDrawer(working);
    await section.locator("[data-action=create-status]").click();
    const url = section.locator("input[data-link=url]");
    await expect.poll(() => url.count()).toBe(1);
    statusUrl = await url.inputValue();
    code = await section.locator("input[data-link=code]").inputValue();
    expect(statusUrl).toMatch(new RegExp(`^${s.url}/status\\?t=[A-Za-z0-9_-]{32}$`));
    expect(code).toMatch(/^\d{4} \d{4}$/);
    expect(await board.evaluate(() => navigator.clipboard.readText())).toBe(statusUrl);
    await expect
      .poll(() => section.locator("[data-kind=status] [data-state]").textContent())
      .toContain("李娜");
    expect(await section.textContent()).toContain("已复制到剪贴板");
  });

  it("shows the ticket's progress on a phone, in plain words, without side-scrolling or anything private", async () => {
    const p = await phonePage();
    await p.goto(statusUrl);
    expect(await p.locator("h1").textContent()).toBe("工单进度");
    expect(await p.locator("[data-number]").textContent()).toBe(working);
    expect(await p.locator("[data-status]").textContent()).toBe("处理中");
    expect(await p.locator("[data-step]").allTextContents()).toEqual([
      expect.stringContaining("工程师已开始处理"),
      expect.stringContaining("已安排工程师负责处理"),
      expect.stringContaining("已受理您的问题"),
    ]);
    expect(await p.locator("[data-promise=update]").textContent()).toMatch(/^下次进度更新：.+前$/);
    expect(await noSideScroll(p)).toBe(true);
    const text = (await p.locator("body").textContent()) ?? "";
    for (const person of DEMO_DIRECTORY.people) expect(text).not.toContain(person.name);
    for (const secret of ["张先生", "13800138000", "138****8000", "内部", "返厂", "无法开机"])
      expect(text).not.toContain(secret);

    await p.getByRole("link", { name: "English" }).click();
    await expect.poll(() => p.locator("h1").textContent()).toBe("Ticket progress");
    expect(new URL(p.url()).searchParams.get("lang")).toBe("en");
    expect(await p.locator("[data-status]").textContent()).toBe("in progress");
    expect(await noSideScroll(p)).toBe(true);
    await p.close();
  });

  it("finds the ticket by its number and phone code, and refuses a wrong code without saying which part", async () => {
    const p = await phonePage();
    await p.goto(`${s.url}/status`);
    await p.locator("#number").fill(working);
    await p.locator("#code").fill("0000 0000" === code ? "1111 1111" : "0000 0000");
    await p.getByRole("button", { name: "查询" }).click();
    await expect.poll(() => p.locator(".error").textContent()).toContain("工单号或查询码不正确");
    expect(await p.locator("#number").inputValue()).toBe(working);
    await p.locator("#code").fill(code);
    await p.getByRole("button", { name: "查询" }).click();
    await expect.poll(() => p.locator("[data-number]").textContent()).toBe(working);
    expect(await noSideScroll(p)).toBe(true);
    // The language switch re-sends the lookup.
    await p.getByRole("button", { name: "English" }).click();
    await expect.poll(() => p.locator("h1").textContent()).toBe("Ticket progress");
    await p.close();
  });

  it("stops working once revoked from the drawer: link and code alike", async () => {
    const section = await openDrawer(working);
    await section.locator("[data-action=revoke-status]").click();
    await expect.poll(() => section.locator("[data-kind=status] [data-state]").textContent()).toBe("未生成");
    const p = await phonePage();
    const res = await p.goto(statusUrl);
    expect(res?.status()).toBe(404);
    expect(await p.locator("h1").textContent()).toBe("链接无效");
    expect(await p.locator("body").textContent()).not.toContain(working);
    expect(await noSideScroll(p)).toBe(true);
    await p.goto(`${s.url}/status`);
    await p.locator("#number").fill(working);
    await p.locator("#code").fill(code);
    await p.getByRole("button", { name: "查询" }).click();
    await expect.poll(() => p.locator(".error").textContent()).toContain("工单号或查询码不正确");
    await p.close();
  });

  it("takes one survey answer by link on a phone; a low score opens the remedy; a second answer is refused", async () => {
    const section = await openDrawer(done);
    await section.locator("[data-action=create-survey]").click();
    const input = section.locator("[data-kind=survey] input[data-link=url]");
    await expect.poll(() => input.count()).toBe(1);
    const surveyUrl = await input.inputValue();
    expect(surveyUrl).toMatch(new RegExp(`^${s.url}/survey\\?t=`));

    const p = await phonePage();
    await p.goto(surveyUrl);
    // The customer opened the link twice: a second tab with the same form.
    const second = await phonePage();
    await second.goto(surveyUrl);
    expect(await p.locator("h1").textContent()).toBe("满意度回访");
    expect(await noSideScroll(p)).toBe(true);
    // The page's only style sheet applies (its hash is in the policy): the choices are big tap targets.
    const target = await p.locator("[data-field=resolutionScore] label").first().boundingBox();
    expect(target!.height).toBeGreaterThanOrEqual(44);
    await p.locator("[data-field=resolutionScore] label:has(input[value='2'])").click();
    await p.locator("[data-field=attitudeScore] label:has(input[value='4'])").click();
    expect(await p.locator("input[name=resolutionScore]:checked").inputValue()).toBe("2");
    expect(await p.locator("input[name=attitudeScore]:checked").inputValue()).toBe("4");
    await p.locator("#suggestion").fill("换货等了一周，太慢");
    await p.getByRole("button", { name: "提交评价" }).click();
    await expect.poll(() => p.locator("[data-outcome]").first().textContent()).toBe("感谢您的评价！");
    expect(await p.locator("[data-outcome]").nth(1).textContent()).toContain("很抱歉这次没能让您满意");
    expect(await noSideScroll(p)).toBe(true);

    const t = (await s.call("GET", `/api/v1/tickets/${done}`)).body;
    expect(t.survey).toMatchObject({
      resolutionScore: 2,
      attitudeScore: 4,
      method: "online_survey",
      by: "agent-li",
    });
    expect(t.survey.suggestion).toBe("换货等了一周，太慢");
    expect(t.remedy).toMatchObject({ openedAt: t.survey.at });
    expect(t.due.remedy).toBeTruthy();

    // The second tab sends another answer: refused, and nothing changes.
    await second.locator("[data-field=resolutionScore] label:has(input[value='5'])").click();
    await second.locator("[data-field=attitudeScore] label:has(input[value='5'])").click();
    const [res] = await Promise.all([
      second.waitForResponse((r) => r.request().method() === "POST"),
      second.getByRole("button", { name: "提交评价" }).click(),
    ]);
    expect(res.status()).toBe(409);
    await expect.poll(() => second.locator("[data-outcome]").first().textContent()).toContain("已经提交过");
    expect((await s.call("GET", `/api/v1/tickets/${done}`)).body.survey).toEqual(t.survey);
    // Opening the link again thanks the customer and shows no form.
    await p.goto(surveyUrl);
    expect(await p.locator("[data-outcome]").first().textContent()).toBe("感谢您的评价！");
    expect(await p.locator("form[action='/survey']").count()).toBe(0);
    await p.getByRole("link", { name: "English" }).click();
    await expect
      .poll(() => p.locator("[data-outcome]").first().textContent())
      .toBe("Thank you for your feedback!");
    await second.close();

    // The drawer says so, and offers no new survey link.
    const again = await openDrawer(done);
    await expect
      .poll(() => again.locator("[data-kind=survey] [data-state]").textContent())
      .toContain("客户已提交评价");
    expect(await again.locator("[data-action=create-survey]").count()).toBe(0);
    await p.close();
  });

  it("broke no rule of the pages' content security policy", () => {
    expect(cspErrors).toEqual([]);
  });
});
