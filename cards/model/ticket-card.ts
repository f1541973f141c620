import type { TicketView } from "../../core/ticket/view.ts";
import { t } from "../i18n/index.ts";
import { clip } from "../text/clean.ts";
import { callback } from "./actions.ts";
import type { CardContext } from "./context.ts";
import { customerHistoryFields } from "./customer-history.ts";
import { text } from "./inline.ts";
import { kbSuggestionBlocks } from "./kb-section.ts";
import { ticketButtons } from "./ticket-buttons.ts";
import {
  customerField,
  departmentField,
  headline,
  optionalFields,
  ownerField,
  problemField,
  ruleField,
  slaField,
  ticketHeader,
  updatedField,
} from "./ticket-parts.ts";
import { timelineBlock } from "./timeline.ts";
import type { Block, Card } from "./types.ts";

/** Long free text on a card; the rest is on the board. */
export const BODY_TEXT_MAX = 600;

export interface TicketCardOptions {
  /** The id of a form to show open (after a click on its button where forms cannot open in place). */
  readonly openForm?: string;
  readonly timelineLimit?: number;
}

export function ticketCard(view: TicketView, ctx: CardContext, opts: TicketCardOptions = {}): Card {
  const { locale } = ctx;
  const buttons = ticketButtons(view, ctx);
  const blocks: Block[] = [
    {
      kind: "fields",
      fields: [
        customerField(view, ctx),
        ...customerHistoryFields(view, ctx),
        problemField(view, ctx),
        ruleField(view, ctx),
        departmentField(view, ctx),
        ownerField(view, ctx),
        slaField(view, ctx),
        updatedField(view, ctx),
        ...optionalFields(view, ctx),
      ],
    },
    {
      kind: "text",
      title: t(locale, "field.description"),
      content: [text(clip(view.description, BODY_TEXT_MAX))],
    },
  ];
  if (view.status === "resolved" && view.solution)
    blocks.push({
      kind: "text",
      title: t(locale, "field.solution"),
      content: [text(clip(view.solution, BODY_TEXT_MAX))],
    });
  if (view.status !== "resolved" && view.reopenedAt && view.reopenReason)
    blocks.push({
      kind: "text",
      title: t(locale, "field.reopenReason"),
      content: [text(clip(view.reopenReason, BODY_TEXT_MAX))],
      style: "attention",
    });
  const history = timelineBlock(view, ctx, opts.timelineLimit);
  if (history) blocks.push({ kind: "divider" }, history);

  const opened = buttons.find((b) => b.does.kind === "form" && b.does.form.id === opts.openForm);
  const shown = opened ? buttons.filter((b) => b !== opened) : buttons;
  if (shown.length) blocks.push({ kind: "actions", buttons: shown });
  if (opened?.does.kind === "form") blocks.push({ kind: "form", form: opened.does.form });
  blocks.push(...kbSuggestionBlocks(view, ctx));

  return {
    kind: "ticket",
    locale,
    header: ticketHeader(view, ctx, t(locale, "ticket.title", { number: view.number })),
    blocks,
    summary: `${view.number} · ${headline(view, 40)}`,
    refresh: callback("refresh", view.number, view.version),
  };
}
