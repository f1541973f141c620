import type { MdBlock, MdInline } from "../../core/kb/markdown.ts";

/**
 * An article's markdown as the plain text a card shows: headings, lists and paragraphs keep their lines,
 * emphasis goes, and a link shows its words and its address as text. On a card only the model's own links
 * are active and an author's formatting counts as typed text (the hostile-text tests hold every card to that);
 * the formatted article, with working links, is on the board.
 */
function inline(r: MdInline): string {
  return r.kind === "link" && r.text !== r.url ? `${r.text} (${r.url})` : r.text;
}

const runs = (content: readonly MdInline[]) => content.map(inline).join("");

function blockText(b: MdBlock): string {
  switch (b.kind) {
    case "heading":
    case "paragraph":
      return runs(b.content);
    case "list":
      return b.items.map((item, k) => `${b.ordered ? `${k + 1}.` : "•"} ${runs(item)}`).join("\n");
    case "code":
      return b.text;
  }
}

export const articleText = (blocks: readonly MdBlock[]): string => blocks.map(blockText).join("\n");
