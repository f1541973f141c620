import type { Card, CardContext } from "../../cards/model/index.ts";
import { ticketCard } from "../../cards/model/index.ts";
import { renderTeams, type TeamsCard, teamsAttachment } from "../../cards/render/teams.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { TicketRecord } from "../../core/ports.ts";
import { ticketView } from "../../core/ticket/view.ts";
import type { PlatformContext } from "../platform-module.ts";

/** Builds card contexts and message activities for this server's settings. */
export class TeamsCards {
  readonly #ctx: PlatformContext;
  readonly #publicUrl?: string;

  constructor(ctx: PlatformContext, publicUrl?: string) {
    this.#ctx = ctx;
    this.#publicUrl = publicUrl ?? ctx.publicUrl;
  }

  context(locale: Locale, viewer?: Person): CardContext {
    const base = this.#publicUrl;
    return {
      directory: this.#ctx.directory,
      locale,
      now: this.#ctx.clock.now(),
      viewer,
      timeZone: this.#ctx.config.timezone,
      ...(this.#ctx.knowledge ? { knowledge: this.#ctx.knowledge } : {}),
      ...(base ? { boardLink: (n: string) => `${base}/board/tickets/${encodeURIComponent(n)}` } : {}),
    };
  }

  view(record: TicketRecord) {
    return ticketView(record, { directory: this.#ctx.directory });
  }

  /** The ticket card; for a viewer, only the buttons they may use (a group card shows all and refreshes per viewer). */
  ticket(record: TicketRecord, locale: Locale, viewer?: Person): TeamsCard {
    return renderTeams(ticketCard(this.view(record), this.context(locale, viewer)));
  }

  get publicUrl(): string | undefined {
    return this.#publicUrl;
  }

  get boardUrl(): string | undefined {
    return this.#publicUrl ? `${this.#publicUrl}/board` : undefined;
  }
}

/** A message activity carrying one card (its summary as the notification preview). */
export function cardMessage(
  card: TeamsCard,
  extra: { text?: string; entities?: readonly object[] } = {},
): object {
  return {
    type: "message",
    ...(extra.text ? { text: extra.text, textFormat: "xml" } : {}),
    ...(extra.entities?.length ? { entities: extra.entities } : {}),
    summary: card.fallbackText,
    attachments: [teamsAttachment(card)],
  };
}

export const render = (card: Card): TeamsCard => renderTeams(card);

export const textMessage = (text: string): object => ({ type: "message", text, textFormat: "plain" });
