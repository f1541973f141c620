import { z } from "zod";
import type { Placement } from "../ticket/events.ts";
import type { TicketState } from "../ticket/state.ts";
import { OUTCOMES } from "./feedback.ts";

/** One article on one ticket: when it was sent into the ticket's chat, and whether it solved the problem. */
export const USES = "kb-uses";

export const useId = (ticket: string, article: string): string => `${ticket}:${article}`;

const at = z.iso.datetime();
const person = z.string().min(1).max(100);

export const useDataSchema = z
  .object({
    ticket: z.string().min(1).max(64),
    article: z.string().min(1).max(48),
    sentAt: at.optional(),
    sentBy: person.optional(),
    outcome: z.enum(OUTCOMES).optional(),
    markedAt: at.optional(),
    markedBy: person.optional(),
  })
  .strict();

export type UseData = z.infer<typeof useDataSchema>;

const CHAT_PLATFORMS = new Set(["feishu", "dingtalk", "teams"]);

/** A chat an answer can go into. */
export interface ChatRef {
  readonly platform: string;
  readonly chatId: string;
  /** The message to answer in a thread (the customer's request as the agent posted it), where there is one. */
  readonly messageId?: string;
  readonly extra?: Readonly<Record<string, string>>;
}

const fromPlacement = (p: Placement): ChatRef => ({
  platform: p.platform,
  chatId: p.chatId,
  ...(p.extra ? { extra: p.extra } : {}),
});

/**
 * Where the ticket is discussed: the chat it was created from (answered under the customer's request), or
 * where its card sits on that platform when that is elsewhere (a DingTalk 1:1 chat is posted to by user), else
 * the chat its card was last posted to. Undefined for a ticket never in a chat (made on the board, never posted).
 */
export function chatOf(state: TicketState): ChatRef | undefined {
  const o = state.origin;
  const placed = [...state.placements].reverse();
  if (o.platform && CHAT_PLATFORMS.has(o.platform) && o.chatId) {
    const here = placed.find((p) => p.platform === o.platform && p.chatId === o.chatId);
    const elsewhere = placed.find((p) => p.platform === o.platform);
    if (!here && elsewhere) return fromPlacement(elsewhere);
    return {
      platform: o.platform,
      chatId: o.chatId,
      ...(o.messageId ? { messageId: o.messageId } : {}),
      ...(here?.extra ? { extra: here.extra } : {}),
    };
  }
  return placed[0] ? fromPlacement(placed[0]) : undefined;
}
