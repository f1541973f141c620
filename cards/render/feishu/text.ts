import type { Inline } from "../../model/types.ts";
import { inertMarkdown, inertPlain, safeUrl } from "../../text/markup.ts";
import type { PlainText } from "./types.ts";

/** plain_text is not markdown, but a client may still link a URL in it: keep it inert all the same. */
export const plain = (content: string): PlainText => ({ tag: "plain_text", content: inertPlain(content) });

/** Card markdown from inlines: typed text inert, mentions as <at id=open_id>, links only the model's own. */
export function markdown(runs: readonly Inline[]): string {
  return runs.map(run).join("");
}

function run(r: Inline): string {
  switch (r.kind) {
    case "text":
      return inertMarkdown(r.text);
    case "strong":
      return `**${inertMarkdown(r.text)}**`;
    case "mention": {
      const openId = r.person.feishu?.openId;
      return openId && /^[A-Za-z0-9_-]+$/.test(openId)
        ? `<at id=${openId}></at>`
        : inertMarkdown(r.person.name);
    }
    case "link": {
      const url = safeUrl(r.url);
      return url ? `[${inertMarkdown(r.text)}](${url})` : inertMarkdown(r.text);
    }
  }
}
