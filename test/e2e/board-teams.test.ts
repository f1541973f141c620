import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  boardReady,
  chromiumAvailable,
  launchBrowser,
  signIn,
  type TestBrowser,
} from "../support/browser.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const CONTEXT = {
  locale: "en-us",
  theme: "dark",
  entityId: "closeloop-board",
  frameContext: "content",
  userObjectId: "00000000-0000-0000-0000-0000000000e1",
  userPrincipalName: "emma@contoso.test",
  userDisplayName: "Emma Wilson",
  loginHint: "emma@contoso.test",
  tid: "00000000-0000-0000-0000-0000000000aa",
  teamId: "19:support@thread.tacv2",
  teamName: "Support Team",
  groupId: "00000000-0000-0000-0000-0000000000bb",
  hostName: "Teams",
  hostClientType: "web",
};

/**
 * A stub Teams host speaking the teams-js window protocol: requests come as {id, uuidAsString, func, args};
 * answers go back as {id, uuidAsString, args}; host events as {func, args}.
 */
function teamsHost(boardUrl: string): string {
  return `<!doctype html><html><body>
<iframe id="tab" src="${boardUrl}" style="width:1280px;height:800px;border:0"></iframe>
<script>
window.calls = [];
window.addEventListener("message", (e) => {
  const m = e.data;
  if (!m || typeof m.func !== "string" || typeof m.id !== "number") return;
  window.calls.push(m.func);
  const reply = (args) => e.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, e.origin);
  if (m.func === "initialize") reply(["content", "web", "2.0.0"]);
  else if (m.func === "getContext") reply([${JSON.stringify(CONTEXT)}]);
  else reply([]);
});
window.setTheme = (theme) =>
  document.getElementById("tab").contentWindow.postMessage({ func: "themeChange", args: [theme] }, "*");
</script></body></html>`;
}

/** A frame whose parent never answers: the board must not wait for it. */
const silentHost = (boardUrl: string) =>
  `<!doctype html><html><body><iframe id="tab" src="${boardUrl}" style="width:1280px;height:800px"></iframe></body></html>`;

describe.skipIf(!chromiumAvailable())("the board as a Teams tab", () => {
  let s: TestServer;
  let b: TestBrowser;
  let ctx: BrowserContext;
  // The host: another origin (port) of the same site, so the session cookie reaches the framed board.
  let hostServer: Server;
  let HOST: string;

  beforeAll(async () => {
    s = await startTestServer();
    await s.call("POST", "/api/v1/tickets", {
      as: "agent-li",
      body: { description: "电饭煲不加热", department: "tech" },
    });
    b = await launchBrowser();
    ctx = await b.newContext({ locale: "zh-CN" });
    const page = await ctx.newPage();
    await signIn(page, s.url, "eng-emma");
    await page.close();
    hostServer = createServer((req, res) => {
      const html = req.url === "/teams.html" ? teamsHost(`${s.url}/board`) : silentHost(`${s.url}/board`);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    });
    await new Promise<void>((resolve) => hostServer.listen(0, "127.0.0.1", resolve));
    HOST = `http://127.0.0.1:${(hostServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await b?.close();
    await new Promise((resolve) => hostServer?.close(resolve));
    await s?.stop();
  });

  const boardFrame = async (page: Page): Promise<Frame> => {
    await expect.poll(() => page.frames().some((f) => f.url().startsWith(`${s.url}/board`))).toBe(true);
    return page.frames().find((f) => f.url().startsWith(`${s.url}/board`))!;
  };
  const attr = (f: Frame, name: string) => f.evaluate((n) => document.documentElement.getAttribute(n), name);

  it("initialises teams-js inside a host, applies its context, locale and theme, and follows theme changes", async () => {
    const page = await ctx.newPage();
    await page.goto(`${HOST}/teams.html`);
    const frame = await boardFrame(page);
    await frame.waitForSelector("html[data-ready='true']");
    await expect.poll(() => attr(frame, "data-host")).toBe("teams");
    await expect.poll(() => attr(frame, "data-theme")).toBe("dark");
    // The host's locale (en-us) wins over the browser's (zh-CN).
    await expect.poll(() => attr(frame, "lang")).toBe("en");
    await expect.poll(() => frame.locator("h1").textContent()).toBe("Collaboration board");
    expect(await frame.locator(".who").textContent()).toContain("Support Team");
    expect(await page.evaluate(() => (window as unknown as { calls: string[] }).calls)).toEqual(
      expect.arrayContaining(["initialize", "getContext"]),
    );
    await page.evaluate(() => (window as unknown as { setTheme: (t: string) => void }).setTheme("contrast"));
    await expect.poll(() => attr(frame, "data-theme")).toBe("contrast");
    await expect.poll(() => frame.locator(".tile").count()).toBe(1);
    await page.close();
  });

  it("falls back to a plain page when it is not in Teams", async () => {
    const page = await ctx.newPage();
    const requested: string[] = [];
    page.on("request", (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${s.url}/board`);
    await boardReady(page);
    await expect.poll(() => attr(page.mainFrame(), "data-host")).toBe("browser");
    expect(await attr(page.mainFrame(), "lang")).toBe("zh-CN");
    expect(await attr(page.mainFrame(), "data-theme")).toBe("auto");
    expect(requested).not.toContain("/board/assets/teams.min.js");
    await page.close();
  });

  it("does not hang in a frame whose host never answers", async () => {
    const page = await ctx.newPage();
    await page.goto(`${HOST}/silent.html`);
    const frame = await boardFrame(page);
    // The board draws at once; host detection gives up after its timeout and leaves a plain page.
    await frame.waitForSelector("html[data-ready='true']");
    expect(await frame.locator(".tile").count()).toBe(1);
    await frame.waitForSelector("html[data-host='browser']", { timeout: 10_000 });
    expect(await attr(frame, "lang")).toBe("zh-CN");
    await page.close();
  });
});
