import { createHash } from "node:crypto";
import type { Locale } from "../../core/i18n/locale.ts";
import { escapeHtml } from "../board/page.ts";
import { ct } from "./i18n.ts";

/** The pages' only style sheet, inline and allowed by its hash: no script at all, nothing from elsewhere. */
const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;color-scheme:light dark}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Microsoft YaHei",sans-serif;background:#f4f6f8;color:#1d2630;overflow-wrap:anywhere}
header,main,footer{max-width:34rem;margin:0 auto;padding:0 1rem}
header{display:flex;justify-content:space-between;align-items:center;gap:.5rem;padding-top:1rem;padding-bottom:.5rem;color:#51606f;font-size:.9rem}
nav.lang{display:flex;gap:.25rem;flex-wrap:wrap}
nav.lang a,nav.lang button{font:inherit;color:#0b5cad;background:none;border:0;padding:.25rem .5rem;border-radius:.4rem;text-decoration:none;cursor:pointer}
nav.lang [aria-current=true]{background:#dde9f6;color:#1d2630}
nav.lang form{margin:0}
main{background:#fff;border-radius:.75rem;padding:1.25rem 1rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.35rem;margin:0 0 .75rem}
h2{font-size:1.05rem;margin:1.25rem 0 .5rem}
p{margin:.5rem 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:0 0 .5rem}
dt{color:#51606f}
dd{margin:0;font-weight:600}
.badge{display:inline-block;padding:.05rem .6rem;border-radius:1rem;background:#e6eef7}
.badge.resolved{background:#dff3e4;color:#14532d}
.badge.in_progress{background:#fff1d6;color:#7a4b00}
.promise{margin:.75rem 0;padding:.75rem;border-radius:.5rem;background:#eef5ff;font-weight:600}
.note{padding:.75rem;border-radius:.5rem;background:#fff6e5}
.error{padding:.75rem;border-radius:.5rem;background:#fde8e8;color:#8a1c1c}
.error ul{margin:.25rem 0 0;padding-left:1.25rem}
ol.steps{list-style:none;margin:0;padding:0;border-left:3px solid #c9d6e3}
ol.steps li{position:relative;padding:0 0 .9rem 1rem}
ol.steps li::before{content:"";position:absolute;left:-.5rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;background:#0b5cad}
ol.steps time{display:block;color:#51606f;font-size:.85rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.hint{display:block;font-weight:400;color:#51606f;font-size:.85rem}
input[type=text],textarea{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #9aa9b8;border-radius:.5rem;background:#fff;color:inherit}
textarea{min-height:6rem;resize:vertical}
fieldset{border:0;margin:1rem 0 0;padding:0;min-width:0}
legend{font-weight:600;padding:0}
.scores{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:.35rem;margin-top:.4rem}
.scores label{margin:0;font-weight:400}
.scores input{position:absolute;opacity:0;width:1px;height:1px}
.scores span{display:flex;flex-direction:column;align-items:center;justify-content:center;min-height:3.25rem;border:1px solid #9aa9b8;border-radius:.5rem;text-align:center;font-size:.7rem;line-height:1.2;padding:.25rem .1rem;cursor:pointer}
.scores span b{font-size:1.2rem}
.scores input:checked+span{background:#0b5cad;border-color:#0b5cad;color:#fff}
.scores input:focus-visible+span{outline:3px solid #f0a500;outline-offset:2px}
button.primary{display:block;width:100%;margin-top:1.25rem;font:inherit;font-weight:600;padding:.8rem;border:0;border-radius:.5rem;background:#0b5cad;color:#fff;cursor:pointer}
footer{padding-top:1rem;padding-bottom:2rem;color:#51606f;font-size:.85rem}
@media (prefers-color-scheme:dark){
body{background:#11161c;color:#e3e9ef}
main{background:#1b232c;box-shadow:none}
header,footer,dt,.hint,ol.steps time{color:#a4b1bf}
.badge{background:#263545}.badge.resolved{background:#173a26;color:#bff0cf}.badge.in_progress{background:#3d2f12;color:#ffd98a}
.promise{background:#1d2f45}.note{background:#3a2f17}.error{background:#4a1f1f;color:#ffd4d4}
input[type=text],textarea{background:#11161c}
nav.lang a,nav.lang button{color:#8cc3ff}nav.lang [aria-current=true]{background:#263545;color:#e3e9ef}
}
`;

const STYLE_HASH = `'sha256-${createHash("sha256").update(CSS).digest("base64")}'`;

/** Scripts none, styles only the one above, forms only back here, never framed. */
export const CUSTOMER_CSP = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "img-src data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const PAGE_HEADERS = {
  "Content-Security-Policy": CUSTOMER_CSP,
  "Cache-Control": "no-store",
  "X-Robots-Tag": "noindex, nofollow",
} as const;

export const e = escapeHtml;

export interface Shell {
  readonly locale: Locale;
  readonly title: string;
  /** The language switch, already HTML (links, or a form re-sending a code lookup). */
  readonly languages: string;
  readonly body: string;
}

/**
 * The server-wide Referrer-Policy is no-referrer, under which a browser sends `Origin: null` even with a
 * same-origin form post; the page's own meta policy (same-origin) lets the form guard see where a post came
 * from, and still gives other sites nothing.
 */
export function shell(s: Shell): string {
  return `<!doctype html>
<html lang="${s.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<meta name="color-scheme" content="light dark">
<title>${e(s.title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<header><span>${e(ct(s.locale, "brand"))}</span>${s.languages}</header>
<main>
${s.body}
</main>
<footer><p>${e(ct(s.locale, "status.privacy"))}</p></footer>
</body>
</html>`;
}

const LANGUAGE_NAMES: Record<Locale, string> = { "zh-CN": "中文", en: "English" };

/** Links to the same page in each language; `href` builds the URL for one. */
export function languageLinks(current: Locale, href: (locale: Locale) => string): string {
  const items = (Object.keys(LANGUAGE_NAMES) as Locale[]).map(
    (l) =>
      `<a href="${e(href(l))}" hreflang="${l}" lang="${l}"${l === current ? ' aria-current="true"' : ""}>${LANGUAGE_NAMES[l]}</a>`,
  );
  return `<nav class="lang" aria-label="${e(ct(current, "lang.label"))}">${items.join("")}</nav>`;
}

/** The language switch for a page shown as the answer to a form: it sends the same fields again. */
export function languageButtons(current: Locale, action: string, fields: Record<string, string>): string {
  const hidden = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`)
    .join("");
  const buttons = (Object.keys(LANGUAGE_NAMES) as Locale[])
    .map(
      (l) =>
        `<button type="submit" name="lang" value="${l}" lang="${l}"${l === current ? ' aria-current="true"' : ""}>${LANGUAGE_NAMES[l]}</button>`,
    )
    .join("");
  return `<nav class="lang" aria-label="${e(ct(current, "lang.label"))}"><form method="post" action="${e(action)}">${hidden}${buttons}</form></nav>`;
}
