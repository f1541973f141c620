/**
 * The small markdown an article body may use, parsed into data that every surface renders with its own
 * escaping: headings, paragraphs, lists, code, **bold**, `code` and [links](https://...). Nothing else is
 * markup: HTML stays literal text, and a link whose address is not plain http(s) keeps only its words.
 */

export type MdInline =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "strong"; readonly text: string }
  | { readonly kind: "code"; readonly text: string }
  | { readonly kind: "link"; readonly text: string; readonly url: string };

export type MdBlock =
  | { readonly kind: "heading"; readonly level: number; readonly content: readonly MdInline[] }
  | { readonly kind: "paragraph"; readonly content: readonly MdInline[] }
  | { readonly kind: "list"; readonly ordered: boolean; readonly items: readonly (readonly MdInline[])[] }
  | { readonly kind: "code"; readonly text: string };

/** An absolute http(s) address with nothing in it a markup could misread; anything else is refused. */
export function httpUrl(raw: string): string | undefined {
  const url = raw.trim();
  if (!/^https?:\/\/[^\s<>"'`\\()[\]{}|^]+$/i.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

const INLINE =
  /`([^`\n]+)`|\*\*([^*\n]+?)\*\*|__([^_\n]+?)__|\[([^\]\n]*)\]\(([^)\s]*)\)|<(https?:\/\/[^>\s]+)>/g;

export function parseInline(source: string): MdInline[] {
  const out: MdInline[] = [];
  const text = (t: string) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last?.kind === "text") out[out.length - 1] = { kind: "text", text: last.text + t };
    else out.push({ kind: "text", text: t });
  };
  let at = 0;
  for (const m of source.matchAll(INLINE)) {
    text(source.slice(at, m.index));
    at = m.index + m[0].length;
    const [, code, bold1, bold2, linkText, linkUrl, auto] = m;
    if (code !== undefined) out.push({ kind: "code", text: code });
    else if (bold1 !== undefined || bold2 !== undefined) out.push({ kind: "strong", text: bold1 ?? bold2! });
    else if (auto !== undefined) {
      const url = httpUrl(auto);
      if (url) out.push({ kind: "link", text: url, url });
      else text(auto);
    } else {
      const url = httpUrl(linkUrl ?? "");
      const words = linkText || (url ?? "");
      if (url) out.push({ kind: "link", text: words, url });
      else text(words);
    }
  }
  text(source.slice(at));
  return out;
}

const HEADING = /^(#{1,6})\s+(.*)$/;
const ITEM = /^\s{0,3}(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;
const FENCE = /^\s{0,3}```/;

/** Blocks of a body; lines are kept as they are inside paragraphs (a line break stays a line break). */
export function parseMarkdown(body: string): MdBlock[] {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const blocks: MdBlock[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: MdInline[][] } | undefined;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: "paragraph", content: parseInline(paragraph.join("\n")) });
    paragraph = [];
    if (list) blocks.push({ kind: "list", ordered: list.ordered, items: list.items });
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (FENCE.test(line)) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !FENCE.test(lines[i]!); i++) code.push(lines[i]!);
      blocks.push({ kind: "code", text: code.join("\n") });
      continue;
    }
    if (line.trim() === "") {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: "heading", level: heading[1]!.length, content: parseInline(heading[2]!.trim()) });
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      const ordered = item[2] !== undefined;
      if (paragraph.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(parseInline(item[3]!));
      continue;
    }
    if (list) flush();
    paragraph.push(line.replace(/^\s{0,3}>\s?/, ""));
  }
  flush();
  return blocks;
}

const inlineText = (runs: readonly MdInline[]): string => runs.map((r) => r.text).join("");

/** The words of a body without markup: for the index, excerpts and plain-text surfaces. */
export function plainText(blocks: readonly MdBlock[]): string {
  return blocks.map(blockText).join("\n");
}

function blockText(b: MdBlock): string {
  switch (b.kind) {
    case "heading":
    case "paragraph":
      return inlineText(b.content);
    case "list":
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : "•"} ${inlineText(item)}`).join("\n");
    case "code":
      return b.text;
  }
}
