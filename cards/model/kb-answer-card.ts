import type { Locale } from "../../core/i18n/locale.ts";
import type { AnswerPayload } from "../../core/kb/answer.ts";
import { parseMarkdown } from "../../core/kb/markdown.ts";
import { cleanText, clip } from "../text/clean.ts";
import type { CardContext } from "./context.ts";
import { personOf } from "./context.ts";
import { text } from "./inline.ts";
import { articleText } from "./kb-markdown.ts";
import { kbText } from "./kb-text.ts";
import type { Block, Card } from "./types.ts";

/** Enough of an answer for a chat; a longer article is on the board. */
export const ANSWER_TEXT_MAX = 1500;

export interface KbAnswer {
  readonly ticket: string;
  readonly article: { readonly id: string; readonly title: string; readonly body: string };
  /** Who sent it. */
  readonly by: string;
  /** Days since the last review, when the article is stale. */
  readonly staleDays?: number;
}

/** An article's answer, posted into a ticket's chat for the agent to pass on. No buttons: it is the message. */
export function kbAnswerCard(answer: KbAnswer, ctx: CardContext): Card {
  const locale: Locale = ctx.locale;
  const body = text(clip(articleText(parseMarkdown(answer.article.body)), ANSWER_TEXT_MAX));
  const blocks: Block[] = [];
  if (answer.staleDays !== undefined)
    blocks.push({
      kind: "text",
      content: [text(kbText(locale, "answerStale", { days: answer.staleDays }))],
      style: "attention",
    });
  blocks.push({ kind: "text", content: [body] });
  blocks.push({
    kind: "text",
    content: [text(kbText(locale, "answerFooter", { name: personOf(ctx, answer.by).name }))],
    style: "muted",
  });
  return {
    kind: "kb-answer",
    locale,
    header: {
      title: kbText(locale, "answerTitle", { number: answer.ticket }),
      subtitle: clip(cleanText(answer.article.title), 100),
      tone: "blue",
      tags: [],
    },
    blocks,
    summary: `${answer.ticket} · ${clip(cleanText(answer.article.title), 40)}`,
  };
}

/** The answer an outbox row carries (see core/kb/answer.ts), for the card. */
export const kbAnswerOf = (p: AnswerPayload, ticket: string): KbAnswer => ({
  ticket,
  article: p.article,
  by: p.by,
  ...(p.staleDays !== undefined ? { staleDays: p.staleDays } : {}),
});
