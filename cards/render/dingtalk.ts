import { fitCard } from "../model/trim.ts";
import type { Card } from "../model/types.ts";
import { cardData, type DingTalkCardData } from "./dingtalk/card-data.ts";
import { type DingTalkMessage, message } from "./dingtalk/message.ts";

export type { DingTalkCardData } from "./dingtalk/card-data.ts";
export type { DingTalkMessage } from "./dingtalk/message.ts";
export { DINGTALK_LIMITS, TEMPLATE_VARIABLES } from "./dingtalk/variables.ts";

/**
 * The card as data for closeloop's DingTalk card template (cardParamMap: strings only, each at most 1 KB).
 * Too much content loses its oldest history lines first; rendering never fails.
 */
export function renderDingTalkCard(card: Card): DingTalkCardData {
  const out = fitCard(card, cardData, (x) => x !== undefined);
  // The smallest card (header and buttons) always fits; this is a guard, not a path.
  if (!out) throw new Error(`DingTalk card for ${card.kind} does not fit even when shrunk`);
  return out;
}

/** The markdown / ActionCard fallback for robot messages, under DingTalk's 15 000-byte msgParam cap. */
export function renderDingTalkMessage(card: Card): DingTalkMessage {
  const out = fitCard(card, message, (x) => x !== undefined);
  if (!out) throw new Error(`DingTalk message for ${card.kind} does not fit even when shrunk`);
  return out;
}
