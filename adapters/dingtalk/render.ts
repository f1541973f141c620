import { createHash } from "node:crypto";
import {
  type Card,
  type CardContext,
  digestCard,
  followUpConfirmCard,
  followUpSurveyCard,
  nudgeCard,
  type OverdueAlert,
  overdueCard,
  type SlaTarget,
  ticketCard,
} from "../../cards/model/index.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { OutboxItem, TicketRecord } from "../../core/ports.ts";
import { ticketView } from "../../core/ticket/view.ts";
import type { PlatformContext } from "../platform-module.ts";

/** A short stable id part: outTrackIds must be unique per card and the same on every retry. */
export const digest = (s: string, n = 16): string => createHash("sha256").update(s).digest("hex").slice(0, n);

/** The card instance id of a ticket's card in a place: a retry can never make a second card there. */
export const ticketTrackId = (ticket: string, space: string): string => `cl_${ticket}_${digest(space)}`;
export const itemsTrackId = (items: readonly OutboxItem[]): string =>
  `cl_n_${digest(
    items
      .map((i) => i.key)
      .sort()
      .join("\n"),
    32,
  )}`;

const TARGETS: readonly SlaTarget[] = ["firstResponse", "update", "resolution"];

/** Builds the neutral cards with this deployment's directory, clock, locale, board link and calendar. */
export class CardBuilder {
  constructor(readonly ctx: PlatformContext) {}

  localeOf(person?: Person): Locale {
    return person?.locale ?? this.ctx.config.locale;
  }

  context(record: TicketRecord | undefined, viewer: Person | undefined, locale?: Locale): CardContext {
    const { directory, clock, config, publicUrl, sla } = this.ctx;
    return {
      directory,
      locale: locale ?? this.localeOf(viewer),
      now: clock.now(),
      viewer,
      boardLink: publicUrl ? (n) => `${publicUrl}/board/tickets/${n}` : undefined,
      businessTime: record ? (a, b) => sla.businessMsBetween(record.state, a, b) : undefined,
      timeZone: config.timezone,
      knowledge: this.ctx.knowledge,
    };
  }

  view(record: TicketRecord) {
    return ticketView(record, { directory: this.ctx.directory });
  }

  ticket(record: TicketRecord, viewer?: Person, opts: { openForm?: string; locale?: Locale } = {}): Card {
    return ticketCard(this.view(record), this.context(record, viewer, opts.locale), {
      openForm: opts.openForm,
    });
  }

  nudge(record: TicketRecord, by: string | undefined, locale?: Locale): Card {
    return nudgeCard(this.view(record), this.context(record, undefined, locale), { by });
  }

  alert(record: TicketRecord, item: OutboxItem): OverdueAlert {
    const p = item.payload;
    const target = TARGETS.includes(p.target as SlaTarget) ? (p.target as SlaTarget) : "resolution";
    return {
      view: this.view(record),
      target,
      level: typeof p.level === "number" ? p.level : 1,
      ...(typeof p.due === "string" ? { due: p.due } : {}),
    };
  }

  /** The card one notification shows to its recipient. */
  forItem(record: TicketRecord, item: OutboxItem, viewer: Person): Card {
    const ctx = this.context(record, viewer);
    switch (item.kind) {
      case "overdue_alert":
        return overdueCard(this.alert(record, item), ctx);
      case "confirmation_request":
        return followUpConfirmCard(this.view(record), ctx);
      case "survey_request":
        return followUpSurveyCard(this.view(record), ctx);
      case "nudge":
        return nudgeCard(this.view(record), ctx, { by: item.payload.by as string | undefined });
      default:
        return ticketCard(this.view(record), ctx);
    }
  }

  digest(alerts: readonly OverdueAlert[], viewer: Person, record?: TicketRecord): Card {
    return digestCard(alerts, viewer, this.context(record, viewer));
  }

  /** The card with a notice on top, for one person's eyes (a refusal and its reason). */
  withNotice(card: Card, notice: string): Card {
    return {
      ...card,
      blocks: [
        { kind: "text", content: [{ kind: "text", text: `⚠️ ${notice}` }], style: "attention" },
        ...card.blocks,
      ],
    };
  }
}
