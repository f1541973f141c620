/** HTML text: nothing a card carries can become markup in a preview page. */
export const esc = (s: string): string =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** JSON inside a <script type="application/json">: no "</script>" or comment opener can end it early. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

export type Names = (platformId: string) => string | undefined;

/**
 * The little markdown the platforms' cards use, as preview HTML: **bold**, [text](http...) links, ### headings
 * and line breaks. Mentions are handled by the caller's `mentions` step on the escaped text.
 */
export function previewMarkdown(source: string, mentions: (escaped: string) => string): string {
  let html = mentions(esc(source));
  html = html.replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>");
  html = html.replace(
    /\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g,
    '<a href="$2" target="_blank" rel="noopener">$1</a>',
  );
  html = html.replace(/^### (.*)$/gm, "<h4>$1</h4>");
  return html
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/ {2}\n|\n/g, "<br>")}</p>`)
    .join("");
}

export const chip = (name: string): string => `<span class="at">@${name}</span>`;
