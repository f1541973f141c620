import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE } from "../cards/support/hostile.ts";
import { boardReady, launchBrowser, signIn, type TestBrowser } from "../support/browser.ts";
import { worldHostile } from "./support/inert.ts";
import { flushTallies, tally } from "./support/ledger.ts";
import { type SecurityWorld, startWorld } from "./support/world.ts";

/**
 * Issue 11, part 3 (the board in a real Chromium): hostile text in every field the board shows, on the
 * columns, in the drawer of each ticket, the heads' late view, the stats page and in the URL's filters.
 * No script runs (no window.__pwned, no dialog), the strict CSP never has to block anything (a blocked
 * inline handler would mean markup got into the page), and no element or link the text asked for exists.
 */
let w: SecurityWorld;
let b: TestBrowser;
let ctx: BrowserContext;
let page: Page;
const numbers: string[] = [];
const dialogs: string[] = [];
const violations: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  w = await startWorld({ config: { routing: { rules: [] } } });
  const texts = [...worldHostile(w), ...HOSTILE.filter((t) => /[<[@&]/.test(t))];
  for (const text of texts) {
    const res = await w.call("POST", "/api/v1/tickets", {
      as: "agent-li",
      body: {
        description: text.slice(0, 2000),
        customer: { name: text.slice(0, 100), organisation: text.slice(0, 100) },
        product: text.slice(0, 100),
        problemTag: text.slice(0, 100),
        department: "tech",
        evidence: ["javascript:window.__pwned=9", "data:text/html,<script>window.__pwned=10</script>"],
      },
    });
    expect(res.status, res.text.slice(0, 200)).toBe(201);
    const n = res.body.number as string;
    numbers.push(n);
    const owner = res.body.owner as string;
    await w.call("POST", `/api/v1/tickets/${n}/comment`, { as: "agent-zhou", body: { text } });
    await w.call("POST", `/api/v1/tickets/${n}/start`, { as: owner, body: { version: 1 } });
  }
  // Late tickets for the heads' view.
  w.clock.advance(2 * 86_400_000);
  b = await launchBrowser();
  ctx = await b.newContext();
  page = await ctx.newPage();
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, w.url, "head-tech");
  await boardReady(page);
});
afterAll(async () => {
  await b?.close();
  const { leaks, counts } = w.ledger.scan();
  await w?.stop();
  flushTallies("board-browser", { artifacts: counts, leaks: leaks.length });
  expect(leaks).toEqual([]);
});

/** What hostile text could have made of the page, counted in the live DOM. */
async function injected(p: Page) {
  return p.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    // The board's own scripts come from its origin (the CSP allows nothing else); anything inline is not.
    scripts: [...document.querySelectorAll("script")].filter(
      (s) => !s.src?.startsWith(`${location.origin}/board/assets/`) && s.id !== "board-meta",
    ).length,
    handlers: document.querySelectorAll("[onerror],[onload],[onclick],[onmouseover],[srcdoc]").length,
    frames: document.querySelectorAll("iframe,object,embed").length,
    images: [...document.querySelectorAll("img")].filter(
      (i) => !i.src.startsWith(location.origin) && !i.src.startsWith("data:"),
    ).length,
    badLinks: [...document.querySelectorAll("a[href]")]
      .map((a) => (a as HTMLAnchorElement).href)
      .filter((h) => !h.startsWith(location.origin) && !/^https?:\/\/(?!.*evil)/.test(h)),
    atTags: document.querySelectorAll("at").length,
  }));
}

const clean = { pwned: null, scripts: 0, handlers: 0, frames: 0, images: 0, badLinks: [], atTags: 0 };

describe("the board in Chromium with hostile tickets", () => {
  it("draws the columns with every hostile ticket as text", async () => {
    const t = tally("browser:pages");
    t.tried++;
    // A column draws its first tiles and more on demand: the newest hostile tickets are on screen.
    const shown = numbers.slice(-8);
    for (const n of shown) await expect.poll(() => page.locator(`.tile[data-number="${n}"]`).count()).toBe(1);
    const titles = await page.locator(".tile .title").allTextContents();
    expect(titles.join("\n")).toMatch(/<[a-z]/);
    expect(await injected(page)).toEqual(clean);
    t.refused++;
  });

  it("opens hostile tickets' drawers: description, customer, comments, evidence all inert", async () => {
    const t = tally("browser:pages");
    // The Feishu mention text, the links and the HTML and script texts, and one of the shared corpus.
    for (const n of [numbers[0]!, ...numbers.slice(5, 9), numbers.at(-1)!]) {
      t.tried++;
      await page.goto(`${w.url}/board/tickets/${n}`);
      await boardReady(page);
      const drawer = page.locator(".drawer");
      await expect.poll(() => drawer.isVisible()).toBe(true);
      await expect.poll(async () => (await drawer.textContent())?.includes(n)).toBe(true);
      expect(
        await drawer
          .locator("script, img, iframe, svg[onload], a[href^='javascript'], a[href^='data']")
          .count(),
      ).toBe(0);
      expect(await injected(page), n).toEqual(clean);
      t.refused++;
    }
  });

  it("the late view, the stats page and hostile filters in the URL run nothing", async () => {
    const t = tally("browser:pages");
    const hostileQuery = new URLSearchParams({
      q: '"><img src=x onerror=window.__pwned=11><script>window.__pwned=12</script>',
      department: "<svg/onload=window.__pwned=13>",
      owner: "javascript:window.__pwned=14",
    });
    for (const path of [
      "/board/late",
      "/board/stats",
      `/board?${hostileQuery}`,
      `/board/tickets/${encodeURIComponent("<img src=x onerror=window.__pwned=15>")}`,
    ]) {
      t.tried++;
      await page.goto(`${w.url}${path}`);
      await boardReady(page);
      expect(await injected(page), path).toEqual(clean);
      t.refused++;
    }
    // The sign-in page with a hostile next: it still goes to the board after signing in.
    t.tried++;
    const other = await ctx.newPage();
    other.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await signIn(other, w.url, "agent-li", "/board");
    await other.goto(`${w.url}/board/sign-in?next=${encodeURIComponent("javascript:window.__pwned=16")}`);
    await other.locator("#person").selectOption("agent-li");
    await Promise.all([
      other.waitForURL((u) => u.pathname !== "/board/sign-in"),
      other.getByRole("button", { name: /登录|Sign in/ }).click(),
    ]);
    await boardReady(other);
    expect(new URL(other.url()).pathname).toBe("/board");
    expect(await injected(other)).toEqual({ ...clean });
    await other.close();
    t.refused++;
  });

  it("saw no dialog, no CSP violation and no page error", () => {
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
