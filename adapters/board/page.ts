import type { Locale } from "../../core/i18n/locale.ts";
import { type BoardKey, bt } from "./i18n.ts";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text for HTML content and attribute values. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** JSON that is safe inside a <script type="application/json"> element (no `</script>`, no `<!--`). */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

export type PageName = "board" | "stats" | "sign-in" | "kb" | "review";

const TITLES: Record<PageName, BoardKey> = {
  board: "app.title",
  stats: "stats.title",
  "sign-in": "signin.title",
  kb: "nav.kb",
  review: "review.title",
};

/** The server-rendered shell: the page's data as JSON, its styles and its one script. Nothing runs inline. */
export function pageHtml(page: PageName, locale: Locale, meta: unknown): string {
  const title = `${bt(locale, TITLES[page])} · closeloop`;
  return `<!doctype html>
<html lang="${locale}" data-theme="auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/board/assets/board.css">
<script type="module" src="/board/assets/${page}.js"></script>
</head>
<body data-page="${page}">
<script type="application/json" id="board-meta">${scriptJson(meta)}</script>
<div id="app" aria-busy="true"><p class="loading">${escapeHtml(bt(locale, "app.title"))}…</p></div>
<noscript>closeloop: JavaScript is required / 需要启用 JavaScript</noscript>
</body>
</html>`;
}

/** Origins that frame the board: Teams (and the Microsoft 365 hosts of a tab), Feishu/Lark, DingTalk. */
export const HOST_FRAME_ANCESTORS = [
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  "https://teams.live.com",
  "https://*.cloud.microsoft",
  "https://*.office.com",
  "https://*.feishu.cn",
  "https://*.larksuite.com",
  "https://*.dingtalk.com",
];

/** A strict policy: own scripts only, no inline script, framed only by the hosts (frame-ancestors wins over X-Frame-Options). */
export function contentSecurityPolicy(frameAncestors: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors 'self' ${frameAncestors.join(" ")}`,
  ].join("; ");
}
