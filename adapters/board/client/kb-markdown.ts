import { httpUrl, type MdBlock, type MdInline, parseMarkdown } from "../../../core/kb/markdown.ts";

/**
 * Builds an element from a tag, attributes and children; strings are text, never parsed as HTML. The
 * board passes its DOM builder (dom.ts `h`); tests pass one that writes escaped HTML.
 */
export type Build<N> = (tag: string, attrs: Record<string, string>, ...children: (N | string)[]) => N;

function inline<N>(r: MdInline, build: Build<N>): N | string {
  switch (r.kind) {
    case "text":
      return r.text;
    case "strong":
      return build("strong", {}, r.text);
    case "code":
      return build("code", {}, r.text);
    case "link": {
      // The parser only makes http(s) links; checked again where the href is written.
      const href = httpUrl(r.url);
      return href
        ? build("a", { href, target: "_blank", rel: "noopener noreferrer nofollow" }, r.text)
        : r.text;
    }
  }
}

/** Paragraph text keeps its line breaks. */
function lines<N>(content: readonly MdInline[], build: Build<N>): (N | string)[] {
  const out: (N | string)[] = [];
  for (const r of content) {
    if (r.kind !== "text" || !r.text.includes("\n")) {
      out.push(inline(r, build));
      continue;
    }
    r.text.split("\n").forEach((part, i) => {
      if (i > 0) out.push(build("br", {}));
      if (part) out.push(part);
    });
  }
  return out;
}

function block<N>(b: MdBlock, build: Build<N>): N {
  switch (b.kind) {
    case "heading":
      // h1/h2 belong to the page; an article's headings start at h3.
      return build(`h${Math.min(6, b.level + 2)}`, {}, ...lines(b.content, build));
    case "paragraph":
      return build("p", {}, ...lines(b.content, build));
    case "list":
      return build(
        b.ordered ? "ol" : "ul",
        {},
        ...b.items.map((item) => build("li", {}, ...lines(item, build))),
      );
    case "code":
      return build("pre", {}, build("code", {}, b.text));
  }
}

/** An article body as elements: only the tags above, only http(s) links, every word as text. */
export function renderArticle<N>(body: string, build: Build<N>): N[] {
  return parseMarkdown(body).map((b) => block(b, build));
}
