import type { CardContext } from "../../cards/model/context.ts";
import {
  digestCard,
  followUpConfirmCard,
  followUpSurveyCard,
  nudgeCard,
  type OverdueAlert,
  overdueCard,
  type SlaTarget,
  ticketCard,
} from "../../cards/model/index.ts";
import type { Card } from "../../cards/model/types.ts";
import { type FeishuCard, renderFeishu } from "../../cards/render/feishu.ts";
import type { Directory } from "../../core/directory/directory.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { OutboxItem, TicketRecord } from "../../core/ports.ts";
import type { SlaPlanner } from "../../core/sla/planner.ts";
import { type TicketView, ticketView } from "../../core/ticket/view.ts";

export interface RenderDeps {
  readonly directory: () => Directory;
  readonly sla: SlaPlanner;
  readonly locale: Locale;
  readonly timeZone: string;
  readonly now: () => Date;
  readonly boardLink?: (n: string) => string;
  readonly knowledge?: CardContext["knowledge"];
}

/** Which card a posted message shows, so a click can answer with the same kind re-rendered. */
export type CardKind = "ticket" | "nudge" | "overdue" | "confirm" | "survey" | "digest" | "new";

export function cardContext(d: RenderDeps, viewer: Person | undefined, record?: TicketRecord): CardContext {
  const state = record?.state;
  return {
    directory: d.directory(),
    locale: viewer?.locale ?? d.locale,
    now: d.now(),
    viewer,
    boardLink: d.boardLink,
    timeZone: d.timeZone,
    ...(d.knowledge ? { knowledge: d.knowledge } : {}),
    ...(state ? { businessTime: (a: Date, b: Date) => d.sla.businessMsBetween(state, a, b) } : {}),
  };
}

export const viewOf = (d: RenderDeps, record: TicketRecord): TicketView =>
  ticketView(record, { directory: d.directory() });

const TARGETS: readonly SlaTarget[] = ["firstResponse", "update", "resolution", "survey", "remedy"];
const targetOf = (item: OutboxItem): SlaTarget => {
  const t = item.payload.target;
  return typeof t === "string" && (TARGETS as readonly string[]).includes(t)
    ? (t as SlaTarget)
    : "resolution";
};

export function alertOf(item: OutboxItem, view: TicketView): OverdueAlert {
  const level = typeof item.payload.level === "number" ? item.payload.level : 1;
  const due = typeof item.payload.due === "string" ? item.payload.due : undefined;
  return { view, target: targetOf(item), level, ...(due ? { due } : {}) };
}

/** The card one notification shows its recipient, and its kind. */
export function notificationCard(
  d: RenderDeps,
  item: OutboxItem,
  record: TicketRecord,
  viewer: Person | undefined,
): { card: FeishuCard; kind: CardKind } {
  const view = viewOf(d, record);
  const ctx = cardContext(d, viewer, record);
  let card: Card;
  let kind: CardKind;
  switch (item.kind) {
    case "nudge":
      card = nudgeCard(view, ctx, { by: typeof item.payload.by === "string" ? item.payload.by : undefined });
      kind = "nudge";
      break;
    case "overdue_alert":
      card = overdueCard(alertOf(item, view), ctx);
      kind = "overdue";
      break;
    case "confirmation_request":
      card = followUpConfirmCard(view, ctx);
      kind = "confirm";
      break;
    case "survey_request":
      card = followUpSurveyCard(view, ctx);
      kind = "survey";
      break;
    default:
      card = ticketCard(view, ctx);
      kind = "ticket";
  }
  return { card: renderFeishu(card), kind };
}

/** Several alerts for one person as one digest card. */
export function digestOf(
  d: RenderDeps,
  items: readonly { item: OutboxItem; record: TicketRecord }[],
  recipient: Person,
): FeishuCard {
  const ctx = cardContext(d, recipient);
  return renderFeishu(
    digestCard(
      items.map((x) => alertOf(x.item, viewOf(d, x.record))),
      recipient,
      ctx,
    ),
  );
}

/** A card of `kind` for the ticket as it is now (after a click), optionally with a form open. */
export function reRender(
  d: RenderDeps,
  kind: CardKind,
  record: TicketRecord,
  viewer: Person | undefined,
  openForm?: string,
): FeishuCard {
  const view = viewOf(d, record);
  const ctx = cardContext(d, viewer, record);
  const opts = openForm ? { openForm } : {};
  switch (kind) {
    case "overdue":
      return renderFeishu(
        overdueCard({ view, target: "resolution", level: view.escalation.level || 1 }, ctx, opts),
      );
    case "confirm":
      return renderFeishu(followUpConfirmCard(view, ctx, opts));
    case "survey":
      return renderFeishu(followUpSurveyCard(view, ctx));
    case "nudge":
      return renderFeishu(nudgeCard(view, ctx));
    default:
      return renderFeishu(ticketCard(view, ctx, opts));
  }
}
