import { fitCard } from "../model/trim.ts";
import type { Card } from "../model/types.ts";
import { inertMarkdown, inertPlain } from "../text/markup.ts";
import { fitsBytes } from "../text/size.ts";
import { TEAMS_LIMITS } from "../validate/teams-limits.ts";
import { block, CONTAINER_STYLE, TEXT_COLOR } from "./teams/blocks.ts";
import { TeamsText } from "./teams/text.ts";
import type { TeamsCard, TeamsElement } from "./teams/types.ts";

export { type TeamsCard, teamsAttachment } from "./teams/types.ts";

export interface TeamsRenderOptions {
  /**
   * Who gets the card refreshed automatically (Teams user MRIs, "29:..."; at most 60). Absent: every member
   * of a chat of up to 60. Empty: refresh only on demand.
   */
  readonly refreshUserIds?: readonly string[];
}

function header(card: Card): TeamsElement {
  const { header: h } = card;
  const items: TeamsElement[] = [
    { type: "TextBlock", text: inertMarkdown(h.title), size: "Medium", weight: "Bolder", wrap: true },
  ];
  if (h.subtitle)
    items.push({
      type: "TextBlock",
      text: inertMarkdown(h.subtitle),
      isSubtle: true,
      spacing: "None",
      wrap: true,
    });
  if (h.tags.length)
    items.push({
      type: "ColumnSet",
      spacing: "Small",
      columns: h.tags.map((tag) => ({
        type: "Column",
        width: "auto",
        items: [
          {
            type: "TextBlock",
            text: inertMarkdown(tag.text),
            weight: "Bolder",
            color: TEXT_COLOR[tag.tone],
            size: "Small",
            wrap: true,
          },
        ],
      })),
    });
  return { type: "Container", style: CONTAINER_STYLE[h.tone], bleed: true, items };
}

function renderOnce(card: Card, opts: TeamsRenderOptions): TeamsCard {
  const text = new TeamsText();
  const body: TeamsElement[] = [header(card)];
  let separate = false;
  for (const b of card.blocks) {
    if (b.kind === "divider") {
      separate = true;
      continue;
    }
    const parts = block(b, card.locale, text);
    if (separate && parts[0]) parts[0] = { ...parts[0], separator: true };
    if (parts.length) separate = false;
    body.push(...parts);
  }
  const entities = text.entities;
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    fallbackText: inertPlain(card.summary),
    msteams: { width: "Full", ...(entities.length ? { entities } : {}) },
    ...(card.refresh
      ? {
          refresh: {
            action: { type: "Action.Execute", verb: "refresh", data: { ...card.refresh } },
            ...(opts.refreshUserIds
              ? { userIds: opts.refreshUserIds.slice(0, TEAMS_LIMITS.refreshUsers) }
              : {}),
          },
        }
      : {}),
    body,
  };
}

/**
 * The card as an Adaptive Card 1.5 for Teams (Action.Execute buttons, refresh per viewer, mentions through
 * msteams.entities). Cards over 28 KB lose their oldest history lines first; rendering never fails.
 */
export function renderTeams(card: Card, opts: TeamsRenderOptions = {}): TeamsCard {
  return fitCard(
    card,
    (c) => renderOnce(c, opts),
    (out) => fitsBytes(JSON.stringify(out), TEAMS_LIMITS.bytes),
  );
}
