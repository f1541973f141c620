import { createRequire } from "node:module";
import type { Directory } from "../../core/directory/directory.ts";
import { LOCALES, type Locale } from "../../core/i18n/locale.ts";
import { renderDingTalkCard, renderDingTalkMessage } from "../render/dingtalk.ts";
import { renderFeishu } from "../render/feishu.ts";
import { renderPlainText } from "../render/plain.ts";
import { renderTeams } from "../render/teams.ts";
import { CARD_CASES, type CardCase } from "./cases.ts";
import { dingTalkCardPreview, dingTalkMessagePreview } from "./dingtalk-preview.ts";
import { feishuPreview } from "./feishu-preview.ts";
import { esc, type Names, scriptJson } from "./html.ts";
import { sampleDirectory } from "./samples.ts";
import { GALLERY_CSS, TEAMS_SCRIPT } from "./style.ts";

export interface GalleryOptions {
  /** Where the page loads the Adaptive Cards bundle from (serve adaptiveCardsScriptPath() there). */
  readonly scriptUrl?: string;
  /** A CSP nonce for the page's one inline script, if the server sets a script-src policy. */
  readonly nonce?: string;
  readonly locales?: readonly Locale[];
  readonly cases?: readonly CardCase[];
}

export const DEFAULT_SCRIPT_URL = "/cards/adaptivecards.min.js";

/** The file the gallery's Teams previews need in the browser: adaptivecards' own minified bundle. */
export function adaptiveCardsScriptPath(): string {
  return createRequire(import.meta.url).resolve("adaptivecards/dist/adaptivecards.min.js");
}

function namesOf(dir: Directory): Names {
  const map = new Map<string, string>();
  for (const p of dir.people()) {
    if (p.feishu?.openId) map.set(p.feishu.openId, p.name);
    if (p.dingtalk) map.set(p.dingtalk.userId, p.name);
  }
  return (id) => map.get(id);
}

const PLATFORMS = [
  { id: "feishu", title: "Feishu / Lark" },
  { id: "dingtalk", title: "DingTalk" },
  { id: "teams", title: "Microsoft Teams" },
  { id: "text", title: "Plain text" },
] as const;

function caseHtml(c: CardCase, locale: Locale, names: Names): string {
  const card = c.build(locale);
  const id = `${c.name}-${locale}`;
  const cell = (platform: string, title: string, inner: string) =>
    `<section class="cell" data-platform="${platform}" id="${esc(`${id}-${platform}`)}"><h3>${esc(title)}</h3>${inner}</section>`;
  return `<article class="case" id="${esc(id)}">
<h2>${esc(c.name)} <small>${esc(locale)}</small></h2><p class="about">${esc(c.about)}</p>
<div class="grid">
${cell("feishu", PLATFORMS[0].title, feishuPreview(renderFeishu(card), names))}
${cell(
  "dingtalk",
  PLATFORMS[1].title,
  `${dingTalkCardPreview(renderDingTalkCard(card))}<h4 class="fallback">Robot message fallback</h4>${dingTalkMessagePreview(renderDingTalkMessage(card), names)}`,
)}
${cell("teams", PLATFORMS[2].title, `<div class="card teams"><div class="ac" data-card="${esc(id)}"></div></div><script type="application/json" id="ac-${esc(id)}">${scriptJson(renderTeams(card))}</script>`)}
${cell("text", PLATFORMS[3].title, `<pre class="plain">${esc(renderPlainText(card))}</pre>`)}
</div></article>`;
}

/**
 * Every card for every platform, as one self-contained HTML page (sandbox /cards, and docs/cards). Feishu and
 * DingTalk are drawn from their rendered JSON by faithful HTML previews; Teams cards by the official Adaptive
 * Cards renderer in the browser.
 */
export function galleryHtml(opts: GalleryOptions = {}): string {
  const names = namesOf(sampleDirectory());
  const locales = opts.locales ?? LOCALES;
  const cases = opts.cases ?? CARD_CASES;
  const nonce = opts.nonce ? ` nonce="${esc(opts.nonce)}"` : "";
  const toc = cases
    .map((c) =>
      locales.map((l) => `<a href="#${esc(`${c.name}-${l}`)}">${esc(c.name)} · ${esc(l)}</a>`).join(""),
    )
    .join("");
  const body = cases.flatMap((c) => locales.map((l) => caseHtml(c, l, names))).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>closeloop cards</title><style>${GALLERY_CSS}</style></head>
<body><header class="top"><h1>closeloop cards</h1><p>Every card × platform × locale, rendered from sample tickets by cards/render. Buttons do nothing here.</p><nav>${toc}</nav></header>
${body}
<script src="${esc(opts.scriptUrl ?? DEFAULT_SCRIPT_URL)}"></script>
<script${nonce}>${TEAMS_SCRIPT}</script>
</body></html>`;
}
