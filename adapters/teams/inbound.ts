import { inboundCallbackSchema, newTicketCard } from "../../cards/model/index.ts";
import { inertQuote } from "../../cards/text/markup.ts";
import { runCardClick } from "../../core/chat/actions.ts";
import { parseChatCommand } from "../../core/chat/grammar.ts";
import { chatHelp } from "../../core/chat/help.ts";
import { inboundRecipient } from "../../core/chat/platform.ts";
import type { Person } from "../../core/directory/schema.ts";
import { isDomainError } from "../../core/errors.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { DeliveryOutcome, OutboxItem, TicketRecord } from "../../core/ports.ts";
import type { Caller } from "../../core/ticket/service.ts";
import type { PlatformContext } from "../platform-module.ts";
import { type Activity, activityKey, activitySchema, isGroupConversation } from "./activity.ts";
import { cardMessage, render, type TeamsCards, textMessage } from "./cards.ts";
import { type ConnectorClient, ConnectorRefusedError, MessageWritesBlockedError } from "./connector.ts";
import { localeOf, say } from "./i18n.ts";
import { readMessage } from "./mentions.ts";
import type { ConversationReferences } from "./references.ts";

export const ACTIVITY_KIND = "teams_activity";
/** Rows that only mark something as seen (an invoke claimed, a chat greeted); nothing to process. */
export const MARKER_KIND = "teams_marker";

interface Deps {
  readonly ctx: PlatformContext;
  readonly connector: ConnectorClient;
  readonly refs: ConversationReferences;
  readonly cards: TeamsCards;
}

/** Processes the activities POST /teams/messages acknowledged and queued: messages, Action.Submit, installs. */
export class TeamsInbound {
  readonly #d: Deps;

  constructor(deps: Deps) {
    this.#d = deps;
  }

  /** Queues an activity once (by its id, durably); false when it was seen before. */
  async queue(activity: Activity): Promise<boolean> {
    const added = await this.#d.ctx.store.enqueue([
      {
        key: activityKey(activity),
        kind: ACTIVITY_KIND,
        recipient: inboundRecipient("teams"),
        ticket: "",
        payload: { activity },
      },
    ]);
    return added > 0;
  }

  async handle(item: OutboxItem): Promise<DeliveryOutcome> {
    if (item.kind !== ACTIVITY_KIND) return { ok: true };
    const parsed = activitySchema.safeParse(item.payload.activity);
    if (!parsed.success) return { ok: false, permanent: true, error: "stored Teams activity is malformed" };
    const a = parsed.data;
    this.#d.refs.remember(a);
    try {
      if (a.type === "message") await this.#message(a);
      else if (a.type === "conversationUpdate" || a.type === "installationUpdate") await this.#installed(a);
      return { ok: true };
    } catch (e) {
      // A refusal that belongs to this one activity (its chat is gone, its answer refused, the bot blocked
      // there) will not change on retry; kept, it would hold up every activity queued behind it, since all of
      // Teams shares one inbound lane. Logged and dropped.
      const own =
        e instanceof MessageWritesBlockedError ||
        (e instanceof ConnectorRefusedError && (e.status === 400 || e.status === 404));
      if (own) {
        this.#d.ctx.logger.warn(
          { platform: "teams", activity: activityKey(a), err: (e as Error).message },
          "Teams: dropped an activity whose answer Teams refused",
        );
        return { ok: true };
      }
      return { ok: false, error: (e as Error).message };
    }
  }

  person(a: Activity): Person | undefined {
    const aad = a.from.aadObjectId;
    return aad ? this.#d.ctx.directory.findByIdentity("teams", aad) : undefined;
  }

  localeFor(a: Activity, person?: Person): Locale {
    return person?.locale ?? localeOf(a.locale, this.#d.ctx.config.locale);
  }

  #reply(a: Activity, activity: object) {
    return this.#d.connector.reply(a.serviceUrl, a.conversation.id, a.id ?? "", activity);
  }

  async #message(a: Activity): Promise<void> {
    const person = this.person(a);
    const locale = this.localeFor(a, person);
    if (!person) {
      await this.#reply(a, textMessage(say("notInDirectory", locale)));
      return;
    }
    const caller: Caller = { actor: person.id, via: "teams" };
    const submitted = inboundCallbackSchema.safeParse(a.value);
    if (submitted.success && !(a.text ?? "").trim()) {
      // Action.Submit from a client without Universal Actions: the same click, answered by the card update.
      const { action, ticket, version, form: _f, draft: _d, ...fields } = submitted.data;
      const result = await runCardClick(
        this.#d.ctx.service,
        caller,
        { action, ticket, version, fields },
        this.#origin(a, a.replyToId),
        this.#d.ctx.clickExtension,
      );
      if (!result.ok) await this.#reply(a, textMessage(result.toast[locale]));
      return;
    }
    const command = parseChatCommand(readMessage(a).text);
    try {
      switch (command.kind) {
        case "create": {
          const { record } = await this.#d.ctx.service.createOnce(caller, {
            description: command.description,
            origin: this.#origin(a, a.id),
          });
          await this.#postCard(a, record, locale, person);
          return;
        }
        case "show":
          await this.#postCard(a, await this.#d.ctx.service.get(command.number), locale, person);
          return;
        case "create_form": {
          const card = newTicketCard(
            { id: a.id ?? "", description: "" },
            this.#d.cards.context(locale, person),
          );
          await this.#reply(a, cardMessage(render(card)));
          return;
        }
        case "mine":
          await this.#reply(a, textMessage(await this.#mine(person, locale)));
          return;
        case "board": {
          const url = this.#d.cards.boardUrl;
          await this.#reply(a, textMessage(url ? `${say("board", locale)}${url}` : say("noBoard", locale)));
          return;
        }
        default:
          await this.#reply(a, textMessage(chatHelp(locale)));
      }
    } catch (e) {
      if (!isDomainError(e)) throw e;
      await this.#reply(a, textMessage(e.text[locale]));
    }
  }

  #origin(a: Activity, messageId: string | undefined) {
    return { platform: "teams" as const, chatId: a.conversation.id, messageId: messageId ?? a.id ?? "" };
  }

  /** Posts the ticket's card in this chat once (a redelivered message finds it placed) and records where. */
  async #postCard(a: Activity, record: TicketRecord, locale: Locale, person: Person): Promise<void> {
    const placed = record.state.placements.some(
      (p) => p.platform === "teams" && p.chatId === a.conversation.id,
    );
    if (placed) return;
    // In a channel or group everyone sees one card that refreshes per viewer; in 1:1 it is the person's own.
    const card = this.#d.cards.ticket(record, locale, isGroupConversation(a) ? undefined : person);
    const posted = await this.#reply(a, cardMessage(card));
    await this.#d.ctx.service.recordPlacement(record.state.number, {
      platform: "teams",
      chatId: a.conversation.id,
      messageId: posted.id,
      extra: { serviceUrl: a.serviceUrl },
    });
  }

  async #mine(person: Person, locale: Locale): Promise<string> {
    const page = await this.#d.ctx.service.list({
      owner: person.id,
      status: ["pending", "in_progress"],
      limit: 10,
    });
    if (page.items.length === 0) return say("mineEmpty", locale);
    const lines = page.items.map((r) => `• ${r.state.number} · ${inertQuote(r.state.description, 40)}`);
    return [say("mineTitle", locale), ...lines].join("\n");
  }

  /** The bot was added to a chat, team or personal scope: greet once (durably) with what it understands. */
  async #installed(a: Activity): Promise<void> {
    const botAdded =
      a.type === "installationUpdate"
        ? a.action !== "remove" && a.action !== "remove-upgrade"
        : (a.membersAdded ?? []).some((m) => m.id === a.recipient.id);
    if (!botAdded) return;
    const first = await this.#d.ctx.store.enqueue([
      {
        key: `teams:greeted:${a.conversation.id}`,
        kind: MARKER_KIND,
        recipient: inboundRecipient("teams"),
        ticket: "",
        payload: {},
      },
    ]);
    if (first === 0) return;
    const locale = this.localeFor(a, this.person(a));
    await this.#d.connector.post(
      a.serviceUrl,
      a.conversation.id,
      textMessage(`${say("welcome", locale)}\n\n${chatHelp(locale)}`),
    );
  }
}
