import type { CardClick, ClickExtension, ClickResult } from "../chat/actions.ts";
import type { Text } from "../i18n/locale.ts";
import type { Caller } from "../ticket/service.ts";
import type { Outcome } from "./feedback.ts";
import type { KnowledgeBase } from "./knowledge-base.ts";
import { missingArticle } from "./refusals.ts";

/** The card actions of the knowledge base: send an article's answer, say it solved the problem or not. */
export const KB_ACTIONS = ["kb_send", "kb_solved", "kb_unsolved"] as const;
export type KbAction = (typeof KB_ACTIONS)[number];

const OUTCOME: Readonly<Record<string, Outcome>> = { kb_solved: "solved", kb_unsolved: "unsolved" };

const sent = (title: string): Text => ({
  "zh-CN": `已发送到聊天：${title}`,
  en: `Sent to the chat: ${title}`,
});
const already = (title: string): Text => ({
  "zh-CN": `已经发送过：${title}（未重复发送）`,
  en: `Already sent: ${title} (not sent again)`,
});
const MARKED: Readonly<Record<Outcome, Text>> = {
  solved: { "zh-CN": "已记录：解决了问题", en: "Recorded: it solved the problem" },
  unsolved: { "zh-CN": "已记录：没有解决问题", en: "Recorded: it did not solve the problem" },
};

/** The article a button names: `article` beside the action, as the card model puts it. */
function articleOf(click: CardClick): string {
  const id = click.fields?.article;
  if (typeof id !== "string" || id === "") throw missingArticle("article");
  return id;
}

/** Card clicks on the knowledge-base buttons, for runCardClick. */
export function knowledgeClicks(kb: KnowledgeBase): ClickExtension {
  return {
    handles: (action) => (KB_ACTIONS as readonly string[]).includes(action),
    async run(caller: Caller, click: CardClick): Promise<ClickResult> {
      const article = articleOf(click);
      if (click.action === "kb_send") {
        const r = await kb.send(caller, click.ticket, article);
        return { ok: true, record: r.record, toast: (r.duplicate ? already : sent)(r.article.title) };
      }
      const outcome = OUTCOME[click.action]!;
      const r = await kb.mark(caller, click.ticket, article, outcome);
      return { ok: true, record: r.record, toast: MARKED[outcome] };
    },
  };
}
