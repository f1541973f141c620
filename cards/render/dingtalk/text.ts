import type { Inline } from "../../model/types.ts";
import { inertMarkdown, inertPlain, safeUrl } from "../../text/markup.ts";

export const USER_ID = /^[A-Za-z0-9_$-]{1,64}$/;

/** DingTalk markdown breaks a line only on two trailing spaces. */
const lines = (s: string) => s.replace(/\n/g, "  \n");

export type MentionStyle = (userId: string, name: string) => string;

export const cardMention: MentionStyle = (id, name) => `<a atId=${id}>${name}</a>`;
export const robotMention: MentionStyle = (id) => `@${id}`;

/** Markdown from inlines; `used` collects the user ids mentioned. */
export function markdown(runs: readonly Inline[], mention: MentionStyle, used: Set<string>): string {
  return runs.map((r) => run(r, mention, used)).join("");
}

function run(r: Inline, mention: MentionStyle, used: Set<string>): string {
  switch (r.kind) {
    case "text":
      return lines(inertMarkdown(r.text));
    case "strong":
      return `**${lines(inertMarkdown(r.text))}**`;
    case "mention": {
      const id = r.person.dingtalk?.userId;
      const name = inertMarkdown(r.person.name);
      if (!id || !USER_ID.test(id)) return name;
      used.add(id);
      return mention(id, name);
    }
    case "link": {
      const url = safeUrl(r.url);
      return url ? `[${inertMarkdown(r.text)}](${url})` : inertMarkdown(r.text);
    }
  }
}

export const plain = inertPlain;
