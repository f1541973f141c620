import { describe, expect, it } from "vitest";
import { type Build, renderArticle } from "../../adapters/board/client/kb-markdown.ts";
import { KB_BOARD_KEYS, kt } from "../../adapters/board/kb-i18n.ts";
import { escapeHtml } from "../../adapters/board/page.ts";
import { parseMarkdown } from "../../core/kb/markdown.ts";

/** The elements the board would build, as a tree; strings are text nodes. */
interface El {
  readonly tag: string;
  readonly attrs: Record<string, string>;
  readonly children: readonly (El | string)[];
}
const build: Build<El> = (tag, attrs, ...children) => ({ tag, attrs, children });

/** The tree as HTML, text escaped as the browser keeps a text node inert. */
const toHtml = (n: El | string): string =>
  typeof n === "string"
    ? escapeHtml(n)
    : `<${n.tag}${Object.entries(n.attrs)
        .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
        .join("")}>${n.children.map(toHtml).join("")}</${n.tag}>`;

const render = (body: string) => renderArticle(body, build).map(toHtml).join("");
const ALLOWED_TAGS = new Set([
  "h3",
  "h4",
  "h5",
  "h6",
  "p",
  "ul",
  "ol",
  "li",
  "strong",
  "code",
  "pre",
  "a",
  "br",
]);

describe("article markdown on the board", () => {
  it("renders the markdown an article may use", () => {
    const out = render(
      "# 退款流程\n\n在订单页点击**申请退款**。\n第二行\n\n1. 选择原因\n2. 提交\n\n- 到账 `1-3` 天\n\n查看 [售后中心](https://shop.example.test/after-sales)",
    );
    expect(out).toBe(
      [
        "<h3>退款流程</h3>",
        "<p>在订单页点击<strong>申请退款</strong>。<br></br>第二行</p>",
        "<ol><li>选择原因</li><li>提交</li></ol>",
        "<ul><li>到账 <code>1-3</code> 天</li></ul>",
        '<p>查看 <a href="https://shop.example.test/after-sales" target="_blank" rel="noopener noreferrer nofollow">售后中心</a></p>',
      ].join(""),
    );
  });

  it("keeps hostile text inert: no raw HTML, no script, links only to http(s)", () => {
    const hostile = [
      "<script>window.__pwned = 1</script><img src=x onerror=alert(1)>",
      '<a href="javascript:alert(1)">点我</a> <iframe src="https://evil.example.com"></iframe>',
      "[退款](javascript:alert(1)) [数据](data:text/html,<script>alert(1)</script>) [邮件](mailto:a@b.com)",
      "[空格](https://evil.example.com/a b) <https://ok.example.test/x> <javascript:alert(1)>",
      "<at id=all></at> @all",
    ].join("\n\n");
    const out = render(hostile);
    const tags = [...out.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1]!.toLowerCase());
    expect(tags.filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    const hrefs = [...out.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual(["https://ok.example.test/x"]);
    const attributes = [...out.matchAll(/<[a-z0-9]+((?:\s[^>]*)?)>/gi)].flatMap((m) =>
      [...m[1]!.matchAll(/\s([a-z-]+)=/gi)].map((a) => a[1]),
    );
    expect(new Set(attributes)).toEqual(new Set(["href", "target", "rel"]));
    // The words are still there, as text.
    expect(out).toContain("&lt;script&gt;window.__pwned = 1&lt;/script&gt;");
    expect(out).toContain("&lt;at id=all&gt;&lt;/at&gt; @all");
    expect(out).toContain("退款");
    for (const block of parseMarkdown(hostile))
      if (block.kind === "paragraph")
        for (const r of block.content) if (r.kind === "link") expect(r.url).toMatch(/^https?:\/\//);
  });

  it("has every word in both languages", () => {
    for (const key of KB_BOARD_KEYS) {
      expect(kt("zh-CN", key).trim(), key).not.toBe("");
      expect(kt("en", key), key).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
