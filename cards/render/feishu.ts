import { fitCard } from "../model/trim.ts";
import type { Card, Tone } from "../model/types.ts";
import { withinFeishuLimits } from "../validate/feishu-limits.ts";
import { block } from "./feishu/blocks.ts";
import { plain } from "./feishu/text.ts";
import type { FeishuCard, FeishuColor, FeishuElement } from "./feishu/types.ts";

export type { FeishuCard } from "./feishu/types.ts";

const HEADER: Readonly<Record<Tone, FeishuColor>> = {
  red: "red",
  orange: "orange",
  blue: "blue",
  green: "green",
  grey: "grey",
};
const TAG = { red: "red", orange: "orange", blue: "blue", green: "green", grey: "neutral" } as const;

/** The card rendered whole, Feishu's caps aside: renderFeishu trims from this. */
export function renderFeishuWhole(card: Card): FeishuCard {
  const { header } = card;
  const elements: FeishuElement[] = card.blocks.flatMap((b) => block(b, card.locale));
  return {
    schema: "2.0",
    config: { update_multi: true },
    header: {
      title: plain(header.title),
      ...(header.subtitle ? { subtitle: plain(header.subtitle) } : {}),
      template: HEADER[header.tone],
      ...(header.tags.length
        ? {
            text_tag_list: header.tags.map((tag) => ({
              tag: "text_tag" as const,
              text: plain(tag.text),
              color: TAG[tag.tone],
            })),
          }
        : {}),
    },
    body: { elements },
  };
}

/**
 * The card as Feishu card JSON 2.0 (send as msg_type "interactive", content = JSON.stringify of it). Cards
 * over 30 KB or 200 components lose their oldest history lines first; rendering never fails.
 */
export function renderFeishu(card: Card): FeishuCard {
  return fitCard(card, renderFeishuWhole, withinFeishuLimits);
}
