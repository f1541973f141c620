import {
  type Card,
  digestCard,
  followUpConfirmCard,
  followUpSurveyCard,
  kbAnswerCard,
  kbAnswerOf,
  nudgeCard,
  type OverdueAlert,
  overdueCard,
  type SlaTarget,
  ticketCard,
} from "../../cards/model/index.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import { answerOf } from "../../core/kb/answer.ts";
import type { DeliveryOutcome, OutboxItem, TicketRecord } from "../../core/ports.ts";
import type { Placement } from "../../core/ticket/events.ts";
import type { PlatformContext } from "../platform-module.ts";
import { isReviewItem, reviewCardOf } from "../review-card.ts";
import { cardMessage, render, type TeamsCards } from "./cards.ts";
import type { TeamsConfig } from "./config.ts";
import {
  ConnectorBusyError,
  type ConnectorClient,
  ConnectorRefusedError,
  MessageWritesBlockedError,
} from "./connector.ts";
import { say } from "./i18n.ts";
import { mentionOf } from "./mentions.ts";
import type { ConversationReferences } from "./references.ts";

const SENT_MEMORY = 10_000;
const SLA_TARGETS = new Set(["firstResponse", "update", "resolution", "survey", "remedy"]);

interface Deps {
  readonly ctx: PlatformContext;
  readonly config: TeamsConfig;
  readonly connector: ConnectorClient;
  readonly refs: ConversationReferences;
  readonly cards: TeamsCards;
}

/** Outbox rows -> Teams: cards to people in 1:1 chats, nudges into the ticket's chat, card updates by PUT. */
export class TeamsOutbound {
  readonly #d: Deps;
  /** Row keys already sent (the newest 10,000), so a retry after a lost answer does not post twice: the connector has no idempotency key. */
  readonly #sent = new Set<string>();

  constructor(deps: Deps) {
    this.#d = deps;
  }

  async deliver(person: Person, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const pending = items.filter((i) => !this.#sent.has(i.key));
    if (pending.length === 0) return { ok: true };
    const aad = person.teams?.aadObjectId;
    if (pending.some(isReviewItem)) return this.#reviews(person, pending);
    return this.#guard(person, async () => {
      const locale = person.locale ?? this.#d.ctx.config.locale;
      const records = await Promise.all(pending.map((i) => this.#d.ctx.store.get(i.ticket)));
      const first = pending[0]!;
      const record = records[0];
      if (!record) return { ok: false, permanent: true, error: `no ticket ${first.ticket}` };
      if (pending.length === 1 && first.kind === "nudge") {
        const chat = first.payload.chat as { platform?: string; chatId?: string } | undefined;
        if (chat?.platform === "teams" && chat.chatId) {
          await this.#nudgeInChat(person, record, chat.chatId, locale, first);
          return this.#done(pending);
        }
      }
      const card =
        pending.length > 1
          ? digestCard(
              pending.flatMap((item, i) => (records[i] ? [this.#alert(item, records[i]!)] : [])),
              person,
              this.#d.cards.context(locale, person),
            )
          : this.#single(first, record, person, locale);
      if (aad && this.#d.refs.isBlocked(aad)) return blocked(person);
      const { conversationId, serviceUrl } = await this.#personalChat(person, record);
      const mention = this.#mention(person);
      const lead = first.kind === "nudge" && mention ? { text: mention.text, entities: [mention] } : {};
      await this.#d.connector.post(serviceUrl, conversationId, cardMessage(render(card), lead));
      return this.#done(pending);
    });
  }

  /** Weekly reviews, each a card in the head's 1:1 chat with the bot; other rows in the call go on as usual. */
  async #reviews(person: Person, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const outcome = await this.#guard(person, async () => {
      const aad = person.teams?.aadObjectId;
      if (aad && this.#d.refs.isBlocked(aad)) return blocked(person);
      const locale = person.locale ?? this.#d.ctx.config.locale;
      for (const item of items.filter(isReviewItem)) {
        const built = reviewCardOf(item, this.#d.cards.context(locale, person), this.#d.cards.publicUrl);
        if ("error" in built) return { ok: false, permanent: true, error: built.error };
        const { conversationId, serviceUrl } = await this.#personalChat(person);
        await this.#d.connector.post(serviceUrl, conversationId, cardMessage(render(built.card)));
        this.#done([item]);
      }
      return { ok: true };
    });
    const rest = items.filter((i) => !isReviewItem(i));
    return outcome.ok && rest.length ? this.deliver(person, rest) : outcome;
  }

  async updatePlacement(placement: Placement, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    return this.#guard(undefined, async () => {
      const ticket = items[0]?.ticket;
      const record = ticket ? await this.#d.ctx.store.get(ticket) : undefined;
      if (!record) return { ok: false, permanent: true, error: `no ticket ${ticket}` };
      const serviceUrl =
        placement.extra?.serviceUrl ??
        this.#d.refs.serviceUrl(placement.chatId) ??
        this.#d.config.defaultServiceUrl;
      const card = this.#d.cards.ticket(record, this.#d.ctx.config.locale);
      await this.#d.connector.update(serviceUrl, placement.chatId, placement.messageId, cardMessage(card));
      return { ok: true };
    });
  }

  /** A knowledge-base answer into the ticket's conversation (no idempotency key: the sent-key memory guards). */
  async postToChat(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const pending = items.filter((i) => !this.#sent.has(i.key));
    return this.#guard(undefined, async () => {
      for (const item of pending) {
        const answer = answerOf(item);
        if (!answer) return { ok: false, permanent: true, error: `a ${item.kind} row cannot go into a chat` };
        const record = await this.#d.ctx.store.get(item.ticket);
        const { chatId, extra } = answer.chat;
        const serviceUrl = extra?.serviceUrl ?? this.#serviceUrlFor(record, chatId);
        const card = kbAnswerCard(
          kbAnswerOf(answer, item.ticket),
          this.#d.cards.context(this.#d.ctx.config.locale),
        );
        await this.#d.connector.post(serviceUrl, chatId, cardMessage(render(card)));
        this.#done([item]);
      }
      return { ok: true };
    });
  }

  #done(items: readonly OutboxItem[]): DeliveryOutcome {
    for (const i of items) this.#sent.add(i.key);
    for (const key of this.#sent) {
      if (this.#sent.size <= SENT_MEMORY) break;
      this.#sent.delete(key);
    }
    return { ok: true };
  }

  #single(item: OutboxItem, record: TicketRecord, person: Person, locale: Locale): Card {
    const view = this.#d.cards.view(record);
    const ctx = this.#d.cards.context(locale, person);
    switch (item.kind) {
      case "nudge":
        return nudgeCard(view, ctx, {
          by: typeof item.payload.by === "string" ? item.payload.by : undefined,
        });
      case "sla_warning":
      case "overdue_alert":
      case "escalation":
      case "remedy_alert":
        return overdueCard(this.#alert(item, record), ctx);
      case "confirmation_request":
        return followUpConfirmCard(view, ctx);
      case "survey_request":
        return followUpSurveyCard(view, ctx);
      default:
        return ticketCard(view, ctx);
    }
  }

  #alert(item: OutboxItem, record: TicketRecord): OverdueAlert {
    const p = item.payload;
    const target: SlaTarget =
      typeof p.target === "string" && SLA_TARGETS.has(p.target)
        ? (p.target as SlaTarget)
        : item.kind === "remedy_alert"
          ? "remedy"
          : "resolution";
    return {
      view: this.#d.cards.view(record),
      target,
      level: typeof p.level === "number" ? p.level : 1,
      ...(typeof p.due === "string" ? { due: p.due } : {}),
    };
  }

  /** The owner @mentioned in the chat the ticket came from, with the nudge card under the mention. */
  async #nudgeInChat(person: Person, record: TicketRecord, chatId: string, locale: Locale, item: OutboxItem) {
    const serviceUrl = this.#serviceUrlFor(record, chatId);
    const card = nudgeCard(this.#d.cards.view(record), this.#d.cards.context(locale), {
      by: typeof item.payload.by === "string" ? item.payload.by : undefined,
    });
    const mention = this.#mention(person);
    const text = mention
      ? `${mention.text} ${say("nudge", locale)} ${record.state.number}`
      : `${person.name} ${say("nudge", locale)} ${record.state.number}`;
    await this.#d.connector.post(
      serviceUrl,
      chatId,
      cardMessage(render(card), { text, entities: mention ? [mention] : [] }),
    );
  }

  #mention(person: Person) {
    const aad = person.teams?.aadObjectId;
    if (!aad) return undefined;
    return mentionOf(this.#d.refs.userId(aad) ?? aad, person.name);
  }

  /** The serviceUrl of a chat: as last seen, as recorded on the ticket's placements, or the global one. */
  #serviceUrlFor(record: TicketRecord | undefined, chatId?: string): string {
    const fromChat = chatId ? this.#d.refs.serviceUrl(chatId) : undefined;
    const placed = record?.state.placements.find((p) => p.platform === "teams" && p.extra?.serviceUrl);
    return (
      fromChat ?? placed?.extra?.serviceUrl ?? this.#d.refs.lastServiceUrl ?? this.#d.config.defaultServiceUrl
    );
  }

  /**
   * The person's 1:1 chat with the bot, created on demand (tenant id, bot id, member id). The member id is
   * the "29:" id when an activity has shown it to us, else the Entra object id (Teams accepts it for a
   * bot installed in the person's personal scope).
   */
  async #personalChat(
    person: Person,
    record?: TicketRecord,
  ): Promise<{ conversationId: string; serviceUrl: string }> {
    const known = this.#d.refs.personal(person.id);
    if (known) return { conversationId: known, serviceUrl: this.#serviceUrlFor(record, known) };
    const aad = person.teams?.aadObjectId;
    if (!aad) throw new ConnectorRefusedError(404, `${person.id} has no teams.aadObjectId`);
    const serviceUrl = this.#serviceUrlFor(record);
    const tenant = this.#d.config.tenantId ?? this.#d.refs.lastTenant;
    const created = await this.#d.connector.createConversation(serviceUrl, {
      bot: { id: `28:${this.#d.config.appId}` },
      members: [{ id: this.#d.refs.userId(aad) ?? aad }],
      isGroup: false,
      ...(tenant ? { tenantId: tenant, channelData: { tenant: { id: tenant } } } : {}),
    });
    const url = created.serviceUrl ?? serviceUrl;
    this.#d.refs.setPersonal(person.id, created.id, url);
    return { conversationId: created.id, serviceUrl: url };
  }

  async #guard(person: Person | undefined, run: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof MessageWritesBlockedError) {
        // Recorded and reported once; further alerts for them fail at once until they talk to the bot again.
        this.#d.ctx.logger.warn(
          { recipient: person?.id, platform: "teams" },
          "Teams: the person blocked or removed the app",
        );
        if (!person) return { ok: false, permanent: true, error: `MessageWritesBlocked: ${e.message}` };
        this.#d.refs.forgetPersonal(person.id);
        if (person.teams?.aadObjectId) this.#d.refs.block(person.teams.aadObjectId);
        return blocked(person);
      }
      if (e instanceof ConnectorRefusedError) return { ok: false, permanent: true, error: e.message };
      if (e instanceof ConnectorBusyError)
        return {
          ok: false,
          error: e.message,
          ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
        };
      return { ok: false, error: (e as Error).message };
    }
  }
}

const blocked = (person: Person): DeliveryOutcome => ({
  ok: false,
  permanent: true,
  error: `MessageWritesBlocked: ${person.id} blocked the bot or removed the app`,
});
