import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's chromium, which .ci/run installs; playwright never downloads a browser here. */
export const CHROMIUM = process.env.CLOSELOOP_CHROMIUM ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Whether browser tests can run. In CI (CI=true) a missing chromium is an error, never a skip: .ci/run
 * installs it, so its absence means the install step broke.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === "true" || process.env.CI === "1")
    throw new Error(
      `chromium is missing at ${CHROMIUM}; .ci/run should have installed it (apt-get install chromium)`,
    );
  return false;
}

export interface TestBrowser {
  readonly browser: Browser;
  newContext(opts?: { locale?: string; colorScheme?: "light" | "dark" }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Launches chromium. playwright gives every launch a fresh temporary --user-data-dir of its own (and refuses
 * one passed in args), so nothing carries over between runs; TMPDIR points it at a directory we remove.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "closeloop-chromium-"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    env: { ...process.env, TMPDIR: profile },
  });
  return {
    browser,
    newContext: (opts = {}) =>
      browser.newContext({
        locale: opts.locale ?? "zh-CN",
        colorScheme: opts.colorScheme ?? "light",
        viewport: { width: 1440, height: 900 },
        timezoneId: "Asia/Shanghai",
      }),
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs a page in through the sandbox sign-in form, as a person would. */
export async function signIn(page: Page, baseUrl: string, person: string, next = "/board"): Promise<void> {
  await page.goto(`${baseUrl}/board/sign-in?next=${encodeURIComponent(next)}`);
  await page.locator("#person").selectOption(person);
  // The sign-in page's own path starts with /board too: wait until the page has left it.
  await Promise.all([
    page.waitForURL((u) => u.pathname !== "/board/sign-in" && u.pathname.startsWith(next.split("?")[0]!)),
    page.getByRole("button", { name: /登录|Sign in/ }).click(),
  ]);
}

/** Waits until the board has drawn its first data. */
export async function boardReady(page: Page): Promise<void> {
  await page.waitForSelector("html[data-ready='true']");
}
