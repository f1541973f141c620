import type { TicketView } from "../../core/ticket/view.ts";
import { t } from "../i18n/index.ts";
import { type CardContext, personOf } from "./context.ts";
import { fill, mention, text } from "./inline.ts";
import { boardButton } from "./ticket-buttons.ts";
import { customerField, headline, problemField, slaField, ticketHeader } from "./ticket-parts.ts";
import type { Block, Card } from "./types.ts";

export interface NudgeOptions {
  /** Who nudged; default the last nudger on the ticket. */
  readonly by?: string;
}

/** The owner, mentioned, with the ticket in short and who is chasing it. */
export function nudgeCard(view: TicketView, ctx: CardContext, opts: NudgeOptions = {}): Card {
  const { locale } = ctx;
  const by = opts.by ?? view.nudges.lastBy;
  const owner = view.owner ? mention(ctx, view.owner) : text(t(locale, "owner.none"));
  const blocks: Block[] = [
    {
      kind: "text",
      content: fill(locale, "nudge.text", {
        owner,
        by: by ? personOf(ctx, by).name : "-",
        count: Math.max(1, view.nudges.count),
      }),
      style: "attention",
    },
    { kind: "fields", fields: [customerField(view, ctx), problemField(view, ctx), slaField(view, ctx)] },
  ];
  const board = boardButton(view, ctx);
  if (board) blocks.push({ kind: "actions", buttons: [board] });
  return {
    kind: "nudge",
    locale,
    header: ticketHeader(view, ctx, t(locale, "nudge.title", { number: view.number }), "orange"),
    blocks,
    summary: `${t(locale, "nudge.title", { number: view.number })} · ${headline(view, 40)}`,
  };
}
