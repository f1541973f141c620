import { z } from "zod";
import { chatRecipient } from "../chat/platform.ts";
import type { OutboxIntent, OutboxItem } from "../ports.ts";
import type { Article } from "./article.ts";
import { ARTICLE_LIMITS } from "./article.ts";
import type { ChatRef } from "./uses.ts";

/** The outbox kind of an article's answer going into a ticket's chat. */
export const KB_ANSWER = "kb_answer";

const payloadSchema = z.object({
  chat: z.object({
    platform: z.string().min(1),
    chatId: z.string().min(1),
    messageId: z.string().min(1).optional(),
    extra: z.record(z.string(), z.string()).optional(),
  }),
  article: z.object({
    id: z.string().min(1),
    title: z.string().min(1).max(ARTICLE_LIMITS.title),
    body: z.string().min(1).max(ARTICLE_LIMITS.body),
  }),
  by: z.string().min(1),
  at: z.string().min(1),
  /** Days since the article was reviewed, when it was stale at sending: the answer says so. */
  staleDays: z.number().int().min(0).optional(),
});

export type AnswerPayload = z.infer<typeof payloadSchema>;

/**
 * The row that posts the answer. Its key names the ticket and the article, so the answer goes out once per
 * ticket whatever happens to the click; the article is copied in, so what arrives is what was tapped.
 */
export function answerIntent(
  ticket: string,
  article: Article,
  chat: ChatRef,
  sent: { readonly by: string; readonly at: string; readonly staleDays?: number },
): OutboxIntent {
  return {
    key: `${ticket}:kb_answer:${article.id}`,
    kind: KB_ANSWER,
    recipient: chatRecipient(chat.platform, chat.chatId),
    ticket,
    payload: {
      platform: chat.platform,
      chat: { ...chat },
      article: { id: article.id, title: article.title, body: article.body },
      by: sent.by,
      at: sent.at,
      ...(sent.staleDays !== undefined ? { staleDays: sent.staleDays } : {}),
    },
  };
}

/** A kb_answer row's payload, checked: adapters get typed data or nothing. */
export function answerOf(item: OutboxItem): AnswerPayload | undefined {
  if (item.kind !== KB_ANSWER) return undefined;
  const parsed = payloadSchema.safeParse(item.payload);
  return parsed.success ? parsed.data : undefined;
}
