/**
 * `npm run cards:gallery`: writes docs/cards/gallery.html and, where a Chromium is installed, screenshots of
 * one card per platform to docs/cards/*.png. Not part of `npm test`; nothing here needs a browser to pass CI.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { adaptiveCardsScriptPath, galleryHtml } from "./gallery.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(root, "docs/cards");
const CHROMIUM_CANDIDATES = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** The cards the README shows: one case, each platform, each locale. */
const SHOTS = [
  { case: "ticket-late", locale: "zh-CN" },
  { case: "ticket-late", locale: "en" },
] as const;

async function screenshots(page: string): Promise<string[]> {
  const executablePath = CHROMIUM_CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!executablePath) {
    console.log("no Chromium found (set CHROMIUM_PATH): HTML only, no screenshots");
    return [];
  }
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
  const written: string[] = [];
  try {
    const tab = await browser.newPage({ viewport: { width: 1680, height: 1200 }, deviceScaleFactor: 1 });
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector(".ac[data-card] .ac-adaptiveCard", { timeout: 15_000 });
    for (const shot of SHOTS) {
      for (const platform of ["feishu", "dingtalk", "teams"]) {
        const file = join(out, `${shot.case}.${shot.locale}.${platform}.png`);
        await tab
          .locator(`#${shot.case}-${shot.locale}-${platform} .card`)
          .first()
          .screenshot({ path: file });
        written.push(file);
      }
    }
  } finally {
    await browser.close();
  }
  return written;
}

await mkdir(out, { recursive: true });
const page = join(out, "gallery.html");
// The page loads the bundle straight from node_modules, so it works opened from a checkout after `npm ci`.
const scriptUrl = relative(out, adaptiveCardsScriptPath()).split("\\").join("/");
await writeFile(page, galleryHtml({ scriptUrl }));
console.log(`wrote ${relative(root, page)}`);
for (const f of await screenshots(page)) console.log(`wrote ${relative(root, f)}`);
