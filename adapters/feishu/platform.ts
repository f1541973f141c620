import type { Logger } from "pino";
import { inboundCallbackSchema, kbAnswerCard, kbAnswerOf, newTicketCard } from "../../cards/model/index.ts";
import { renderFeishu } from "../../cards/render/feishu.ts";
import { inertQuote } from "../../cards/text/markup.ts";
import { type CardClick, runCardClick } from "../../core/chat/actions.ts";
import { parseChatCommand } from "../../core/chat/grammar.ts";
import { chatHelp } from "../../core/chat/help.ts";
import { type ChatPlatform, inboundRecipient } from "../../core/chat/platform.ts";
import type { Person } from "../../core/directory/schema.ts";
import { isDomainError } from "../../core/errors.ts";
import type { Locale, Text } from "../../core/i18n/locale.ts";
import { answerOf } from "../../core/kb/answer.ts";
import { OnceCalls } from "../../core/notify/once-calls.ts";
import type { DeliveryOutcome, OutboxItem, TicketRecord } from "../../core/ports.ts";
import type { Placement } from "../../core/ticket/events.ts";
import type { PlatformContext } from "../platform-module.ts";
import { isReviewItem, reviewCardOf } from "../review-card.ts";
import { FeishuApi, type SentMessage } from "./api.ts";
import type { FeishuSettings } from "./config.ts";
import { outcomeOf } from "./errors.ts";
import { commandText, type MessageEvent, mentionsBot, messageEventSchema } from "./inbound-message.ts";
import { TargetLimiter } from "./limiter.ts";
import { FeishuPeople } from "./people.ts";
import { recordProblem } from "./problems.ts";
import {
  type CardKind,
  cardContext,
  digestOf,
  notificationCard,
  type RenderDeps,
  reRender,
} from "./render.ts";

/** Notifications whose card is the ticket's own, kept up to date where it was sent (as DingTalk does). */
const PLACED: ReadonlySet<string> = new Set(["assigned", "new_ticket", "reopened"]);

/**
 * Card messages remembered (their kind, their last patched content): a card clicked or updated once is
 * otherwise kept for the life of the process, a card's JSON (kilobytes) each.
 */
const MESSAGE_MEMORY = 10_000;

/** A Map that forgets its oldest entries beyond `limit` (a re-set entry counts as new). */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    this.delete(key);
    super.set(key, value);
    for (const oldest of this.keys()) {
      if (this.size <= this.limit) break;
      this.delete(oldest);
    }
    return this;
  }
}

/** A card callback answered later than this gets a toast now and the card through the delayed update. */
export const CALLBACK_BUDGET_MS = 2500;
const LEADER_REFRESH_MS = 3_600_000;
const both = (t: Text) => `${t["zh-CN"]} / ${t.en}`;
const LOOKUP_FAILED: Text = {
  "zh-CN": "暂时无法从飞书确认你的身份，请稍后再试",
  en: "Feishu could not confirm who you are just now; try again in a moment",
};
const NOT_IN_DIRECTORY: Text = {
  "zh-CN": "通讯录中没有你，请联系管理员在 closeloop 配置中添加你的飞书账号",
  en: "You are not in the directory; ask an admin to add your Feishu account to closeloop",
};

/** A card-callback answer as Feishu expects it: a toast and, optionally, the card to show instead. */
export interface CallbackAnswer {
  toast?: {
    type: "success" | "error" | "info" | "warning";
    content: string;
    i18n: { zh_cn: string; en_us: string };
  };
  card?: { type: "raw"; data: unknown };
}

/** The flattened card.action.trigger fields we read (SDK and webhook both give this shape). */
export interface CardActionEvent {
  /** The delivery's id: the same click delivered again carries the same one. */
  readonly event_id?: string;
  readonly operator?: { open_id?: string };
  readonly token?: string;
  readonly action?: { value?: unknown; form_value?: Record<string, unknown> };
  readonly context?: { open_message_id?: string; open_chat_id?: string };
}

export class FeishuPlatform implements ChatPlatform {
  readonly id = "feishu";
  readonly capabilities = { urgent: true, updateCards: true, directMessages: true };
  readonly api: FeishuApi;
  readonly people: FeishuPeople;
  readonly settings: FeishuSettings;
  botOpenId?: string;
  /** How long a card callback may take before it answers with a toast and updates the card later. */
  callbackBudgetMs = CALLBACK_BUDGET_MS;
  readonly #ctx: PlatformContext;
  readonly #log: Logger;
  readonly #limiter = new TargetLimiter(5);
  /** What each card message shows, and the last content patched into it: the newest MESSAGE_MEMORY only. */
  readonly #kinds = new BoundedMap<string, CardKind>(MESSAGE_MEMORY);
  readonly #lastPatch = new BoundedMap<string, string>(MESSAGE_MEMORY);
  readonly #render: RenderDeps;
  readonly #once: OnceCalls;

  get #publicUrl(): string | undefined {
    return this.settings.publicUrl ?? this.#ctx.publicUrl;
  }

  constructor(ctx: PlatformContext, settings: FeishuSettings, opts: { problemsDir?: string } = {}) {
    this.#ctx = ctx;
    this.settings = settings;
    this.#log = ctx.logger.child({ platform: "feishu" });
    this.#once = new OnceCalls(ctx.store, () => ctx.clock.now());
    const dir = opts.problemsDir;
    this.api = new FeishuApi(settings, this.#log, (p) => {
      if (dir) recordProblem(dir, { ...p, at: new Date().toISOString() });
    });
    this.people = new FeishuPeople(ctx.directory, this.api, this.#log, settings.matchUserId);
    this.#render = {
      directory: () => this.people.cardDirectory(),
      sla: ctx.sla,
      locale: ctx.config.locale,
      timeZone: ctx.config.timezone,
      now: () => ctx.clock.now(),
      boardLink: this.#publicUrl ? (n) => `${this.#publicUrl}/board/tickets/${n}` : undefined,
      knowledge: ctx.knowledge,
    };
  }

  #refresh?: NodeJS.Timeout;

  async start(): Promise<void> {
    const bot = await this.api.botInfo();
    this.botOpenId ??= bot.open_id;
    const learned = await this.people.learnAll();
    await this.refreshLeaders();
    this.#refresh = setInterval(() => void this.refreshLeaders(), LEADER_REFRESH_MS);
    this.#refresh.unref();
    this.#log.info({ bot: bot.app_name, learned, mode: this.settings.mode }, "Feishu adapter ready");
  }

  async stop(): Promise<void> {
    clearInterval(this.#refresh);
  }

  /** Re-reads the heads of the Feishu departments mapped in FEISHU_DEPARTMENTS. */
  async refreshLeaders(): Promise<void> {
    for (const od of Object.values(this.settings.departments)) await this.people.leaderOf(od, true);
  }

  /**
   * Where an alert for a department head goes: the head Feishu names for the ticket's department (when it is
   * mapped), else the directory's head.
   */
  async #headTarget(recipient: Person, item: OutboxItem, record: TicketRecord): Promise<string | undefined> {
    if (item.kind !== "overdue_alert" && item.kind !== "escalation") return undefined;
    const dep = record.state.department;
    const od = this.settings.departments[dep];
    if (!od || !this.#ctx.directory.isHeadOf(recipient.id, dep)) return undefined;
    return this.people.leaderOf(od);
  }

  reaches(person: Person): boolean {
    return this.people.reaches(person);
  }

  /** Whom a posted card was rendered for: a card in one person's chat is theirs; a group card no one's. */
  #viewerOf(record: TicketRecord, messageId: string): Person | undefined {
    const placed = record.state.placements.find((p) => p.platform === "feishu" && p.messageId === messageId);
    const id = placed?.extra?.viewer;
    return id ? this.#ctx.directory.person(id) : undefined;
  }

  #locale(p: Person | undefined): Locale {
    return p?.locale ?? this.#ctx.config.locale;
  }

  // --- inbound ----------------------------------------------------------------------------------------

  /** One event, verified (webhook) or from the long connection, flattened as the SDK does. */
  async onEvent(eventType: string, flat: Record<string, unknown>): Promise<unknown> {
    if (eventType === "im.message.receive_v1") {
      const parsed = messageEventSchema.safeParse(flat);
      if (!parsed.success) {
        this.#log.warn("im.message.receive_v1 without the fields we need; ignored");
        return {};
      }
      // Acknowledge at once: the durable inbox de-duplicates by event_id and the dispatcher processes it,
      // in order within a chat, several chats at a time.
      await this.#ctx.store.enqueue([
        {
          key: `feishu:event:${parsed.data.event_id}`,
          kind: "inbound",
          recipient: inboundRecipient("feishu", parsed.data.message.chat_id),
          ticket: "",
          payload: { event: parsed.data },
        },
      ]);
      return {};
    }
    if (eventType === "card.action.trigger") return this.onCardAction(flat as CardActionEvent);
    return {};
  }

  async handleInbound(item: OutboxItem): Promise<DeliveryOutcome> {
    const parsed = messageEventSchema.safeParse(item.payload.event);
    if (!parsed.success) return { ok: false, permanent: true, error: "inbound row is not a message event" };
    // Our answer goes into that chat: at most 5 messages a second there; the inbox keeps the rest.
    const wait = this.#limiter.take(`chat:${parsed.data.message.chat_id}`);
    if (wait > 0) return chatHeld(wait);
    try {
      // Whether a group message @mentions us needs our open_id: until start() (or this) has read it, a queued
      // message waits (after a restart the inbox may run first; Feishu may be down at start-up).
      this.botOpenId ??= (await this.api.botInfo()).open_id;
      await this.#onMessage(parsed.data);
      return { ok: true };
    } catch (e) {
      if (isDomainError(e)) return { ok: false, permanent: true, error: e.message };
      return outcomeOf(e);
    }
  }

  async #onMessage(e: MessageEvent): Promise<void> {
    if (e.sender.sender_type && e.sender.sender_type !== "user") return;
    if (e.message.chat_type !== "p2p" && !mentionsBot(e, this.botOpenId)) return;
    const { message_id: messageId, chat_id: chatId } = e.message;
    const person = await this.people.personOf(e.sender.sender_id.open_id);
    const key = `feishu:reply:${messageId}`;
    const replyText = (text: string) => this.api.reply(messageId, "text", { text }, key);
    if (!person) {
      await replyText(both(NOT_IN_DIRECTORY));
      return;
    }
    const locale = this.#locale(person);
    const text = commandText(e, this.botOpenId);
    const cmd = text === undefined ? { kind: "help" as const } : parseChatCommand(text);
    const caller = { actor: person.id, via: "feishu" as const };
    switch (cmd.kind) {
      case "create": {
        let result: { record: TicketRecord; duplicate: boolean };
        try {
          result = await this.#ctx.service.createOnce(caller, {
            description: cmd.description,
            origin: { platform: "feishu", chatId, messageId },
          });
        } catch (err) {
          if (!isDomainError(err)) throw err;
          await replyText(err.text[locale]);
          return;
        }
        const posted = result.record.state.placements.some(
          (p) => p.platform === "feishu" && p.chatId === chatId,
        );
        // A redelivered message finds its ticket; its card is posted already (unless that step failed).
        if (result.duplicate && posted) return;
        await this.#replyCard(messageId, result.record, key);
        return;
      }
      case "create_form": {
        const card = renderFeishu(
          newTicketCard(
            { id: messageId, description: "" },
            { directory: this.people.cardDirectory(), locale, now: this.#ctx.clock.now(), viewer: person },
          ),
        );
        const sent = await this.api.reply(messageId, "interactive", card, key);
        this.#kinds.set(sent.message_id, "new");
        return;
      }
      case "show": {
        let record: TicketRecord;
        try {
          record = await this.#ctx.service.get(cmd.number);
        } catch (err) {
          if (!isDomainError(err)) throw err;
          await replyText(err.text[locale]);
          return;
        }
        await this.#replyCard(messageId, record, key);
        return;
      }
      case "mine": {
        const page = await this.#ctx.store.list({
          owner: person.id,
          status: ["pending", "in_progress"],
          limit: 20,
        });
        const lines = page.items.map((r) => `• ${r.state.number} ${inertQuote(r.state.description, 40)}`);
        const head =
          locale === "zh-CN"
            ? `你负责的未完成工单（${lines.length}）：`
            : `Your open tickets (${lines.length}):`;
        await replyText(
          lines.length
            ? [head, ...lines].join("\n")
            : locale === "zh-CN"
              ? "你没有未完成的工单"
              : "You have no open tickets",
        );
        return;
      }
      case "board": {
        const dep = person.departments[0];
        const base = this.#publicUrl ?? "";
        const url = `${base}/board${dep ? `?department=${encodeURIComponent(dep)}` : ""}`;
        await replyText(locale === "zh-CN" ? `协作看板：${url}` : `Board: ${url}`);
        return;
      }
      default:
        await replyText(chatHelp(locale));
    }
  }

  async #replyCard(messageId: string, record: TicketRecord, key: string): Promise<SentMessage> {
    const card = reRender(this.#render, "ticket", record, undefined);
    const sent = await this.api.reply(messageId, "interactive", card, key);
    this.#kinds.set(sent.message_id, "ticket");
    await this.#ctx.service.recordPlacement(record.state.number, {
      platform: "feishu",
      chatId: sent.chat_id,
      messageId: sent.message_id,
    });
    return sent;
  }

  /** A tap or a form submit: runs as the tapping person, answers with a toast and the card re-rendered. */
  async onCardAction(e: CardActionEvent): Promise<CallbackAnswer> {
    const work = this.#cardAction(e);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), this.callbackBudgetMs);
    });
    // No budget at all: always the toast first (a fast click would otherwise win a race against 1 ms).
    const first = this.callbackBudgetMs <= 0 ? "late" : await Promise.race([work, late]);
    clearTimeout(timer);
    if (first !== "late") return first;
    // Too slow for Feishu's 3 s: say so now; the card follows through the delayed update.
    work
      .then(async (answer) => {
        if (answer.card && e.token) await this.api.delayedUpdate(e.token, answer.card.data);
      })
      .catch((err) => this.#log.error({ err }, "delayed card update failed"));
    return toast(
      { "zh-CN": "处理中，卡片稍后更新", en: "Working on it; the card will update shortly" },
      "info",
    );
  }

  async #cardAction(e: CardActionEvent): Promise<CallbackAnswer> {
    const parsed = inboundCallbackSchema.safeParse(e.action?.value);
    if (!parsed.success) return toast({ "zh-CN": "无法识别的按钮", en: "Unknown button" }, "error");
    const value = parsed.data;
    const openId = e.operator?.open_id;
    let person: Person | undefined;
    try {
      person = openId ? await this.people.personOf(openId) : undefined;
    } catch {
      return toast(LOOKUP_FAILED, "error");
    }
    if (!person) return toast(NOT_IN_DIRECTORY, "error");
    const messageId = e.context?.open_message_id ?? "";
    const chatId = e.context?.open_chat_id ?? "";
    const kind = this.#kinds.get(messageId) ?? (value.action === "create" ? "new" : "ticket");

    if (value.form === "open") {
      const record = await this.#ctx.service.get(value.ticket).catch(() => undefined);
      if (!record) return toast({ "zh-CN": "工单不存在", en: "No such ticket" }, "error");
      return {
        card: {
          type: "raw",
          data: reRender(
            this.#render,
            kind,
            record,
            this.#viewerOf(record, messageId),
            `${value.action}_form`,
          ),
        },
      };
    }
    const { action, ticket, version, form: _f, draft: _d, ...rest } = value;
    const click: CardClick = {
      action,
      ticket,
      version,
      fields: { ...rest, ...(e.action?.form_value ?? {}) },
    };
    const origin = action === "create" ? { platform: "feishu", chatId, messageId } : undefined;
    const caller = {
      actor: person.id,
      via: "feishu" as const,
      ...(e.event_id ? { request: `feishu:${e.event_id}` } : {}),
    };
    const result = await runCardClick(this.#ctx.service, caller, click, origin, this.#ctx.clickExtension);
    const answer = toast(result.toast, result.ok ? "success" : "error");
    if (!result.record) return answer;
    // A digest lists several tickets: it stays as it is; the toast says what happened.
    if (kind === "digest") return answer;
    const newKind: CardKind = action === "create" ? "ticket" : kind;
    this.#kinds.set(messageId, newKind);
    if (action === "create" && result.created && messageId)
      await this.#ctx.service
        .recordPlacement(result.record.state.number, { platform: "feishu", chatId, messageId })
        .catch((err) => this.#log.warn({ err }, "could not record the card's placement"));
    const card = reRender(this.#render, newKind, result.record, this.#viewerOf(result.record, messageId));
    this.#lastPatch.set(messageId, JSON.stringify(card));
    return { ...answer, card: { type: "raw", data: card } };
  }

  // --- outbound ---------------------------------------------------------------------------------------

  async deliver(recipient: Person, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    if (items.some(isReviewItem)) return this.#reviews(recipient, items);
    try {
      const loaded: { item: OutboxItem; record: TicketRecord }[] = [];
      for (const item of items) {
        const record = await this.#ctx.store.get(item.ticket);
        if (record) loaded.push({ item, record });
      }
      if (loaded.length === 0) return { ok: true };
      const openId = this.people.openIdOf(recipient);
      const userId = this.people.userIdOf(recipient);
      const target = openId
        ? { type: "open_id" as const, id: openId }
        : userId
          ? { type: "user_id" as const, id: userId }
          : undefined;
      if (!target) return { ok: false, permanent: true, error: `${recipient.id} has no Feishu identity` };
      if (loaded.length > 1) {
        const wait = this.#limiter.take(`person:${target.id}`);
        if (wait > 0) return chatHeld(wait);
        const key = `digest:${loaded.map((l) => l.item.key).join("|")}`;
        const sent = await this.api.send(
          target.type,
          target.id,
          digestOf(this.#render, loaded, recipient),
          key,
        );
        this.#kinds.set(sent.message_id, "digest");
        return { ok: true };
      }
      const { item, record } = loaded[0]!;
      if (item.kind === "nudge") return await this.#nudge(recipient, openId, target, item, record);
      const leader = await this.#headTarget(recipient, item, record);
      const to = leader ? { type: "open_id" as const, id: leader } : target;
      const wait = this.#limiter.take(`person:${to.id}`);
      if (wait > 0) return chatHeld(wait);
      const { card, kind } = notificationCard(this.#render, item, record, recipient);
      const sent = await this.api.send(to.type, to.id, card, item.key);
      this.#kinds.set(sent.message_id, kind);
      // The ticket's own card in the person's chat: a placement, so a change made anywhere (another
      // platform, the board) updates it too. The send's key makes a retry find the same message.
      if (PLACED.has(item.kind) && kind === "ticket" && !leader)
        await this.#ctx.service.recordPlacement(record.state.number, {
          platform: "feishu",
          chatId: sent.chat_id,
          messageId: sent.message_id,
          extra: { viewer: recipient.id },
        });
      return { ok: true };
    } catch (e) {
      return outcomeOf(e);
    }
  }

  /** Weekly reviews, one card each to the head one to one; any other rows in the call go on as usual. */
  async #reviews(recipient: Person, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    try {
      for (const item of items.filter(isReviewItem)) {
        const built = reviewCardOf(item, cardContext(this.#render, recipient), this.#publicUrl);
        if ("error" in built) return { ok: false, permanent: true, error: built.error };
        const openId = this.people.openIdOf(recipient);
        const to = openId
          ? { type: "open_id" as const, id: openId }
          : { type: "user_id" as const, id: recipient.id };
        const wait = this.#limiter.take(`person:${to.id}`);
        if (wait > 0) return chatHeld(wait);
        await this.api.send(to.type, to.id, renderFeishu(built.card), item.key);
      }
    } catch (e) {
      return outcomeOf(e);
    }
    const rest = items.filter((i) => !isReviewItem(i));
    return rest.length ? this.deliver(recipient, rest) : { ok: true };
  }

  /** The owner mentioned on a card in the ticket's chat (else one to one), then buzzed where allowed. */
  async #nudge(
    recipient: Person,
    openId: string | undefined,
    target: { type: "open_id" | "user_id"; id: string },
    item: OutboxItem,
    record: TicketRecord,
  ): Promise<DeliveryOutcome> {
    const { card, kind } = notificationCard(this.#render, item, record, undefined);
    const origin = record.state.origin;
    let sent: SentMessage;
    if (origin.platform === "feishu" && origin.messageId) {
      const wait = this.#limiter.take(`chat:${origin.chatId}`);
      if (wait > 0) return chatHeld(wait);
      sent = await this.api.reply(origin.messageId, "interactive", card, item.key);
    } else {
      const wait = this.#limiter.take(`person:${target.id}`);
      if (wait > 0) return chatHeld(wait);
      sent = await this.api.send(target.type, target.id, card, item.key);
    }
    this.#kinds.set(sent.message_id, kind);
    // The card went with its key (a retry finds the same message); the buzz has none, so it is written down
    // first and a retry after a crash does not buzz again.
    if (
      item.payload.urgent === true &&
      this.settings.urgent !== "off" &&
      openId &&
      (await this.#once.claim(`buzz:${item.key}`))
    ) {
      try {
        const r = await this.api.urgent(this.settings.urgent, sent.message_id, [openId]);
        if (r.invalid_user_id_list?.length)
          this.#log.warn(
            { ticket: record.state.number, invalid: r.invalid_user_id_list },
            "buzz skipped some people",
          );
      } catch (err) {
        // Quota, too many unread buzzes, no permission: the mention on the card stands.
        this.#log.warn(
          { err, ticket: record.state.number, person: recipient.id },
          "buzz failed; the owner is still mentioned on the card",
        );
      }
    }
    return { ok: true };
  }

  /** A knowledge-base answer into the ticket's chat: under the customer's request where there is one. */
  async postToChat(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    try {
      for (const item of items) {
        const answer = answerOf(item);
        if (!answer) return { ok: false, permanent: true, error: `a ${item.kind} row cannot go into a chat` };
        const { chatId, messageId } = answer.chat;
        const wait = this.#limiter.take(`chat:${chatId}`);
        if (wait > 0) return chatHeld(wait);
        const card = renderFeishu(
          kbAnswerCard(kbAnswerOf(answer, item.ticket), cardContext(this.#render, undefined)),
        );
        if (messageId) await this.api.reply(messageId, "interactive", card, item.key);
        else await this.api.send("chat_id", chatId, card, item.key);
      }
      return { ok: true };
    } catch (e) {
      return outcomeOf(e);
    }
  }

  /** Re-renders the ticket's card where it was posted; one PATCH per change, at most 5 a second. */
  async updatePlacement(placement: Placement, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const ticket = items[0]?.ticket;
    if (!ticket) return { ok: true };
    try {
      const record = await this.#ctx.store.get(ticket);
      if (!record) return { ok: true };
      const kind = this.#kinds.get(placement.messageId) ?? "ticket";
      const viewer = placement.extra?.viewer ? this.#ctx.directory.person(placement.extra.viewer) : undefined;
      const card = reRender(this.#render, kind, record, viewer);
      const content = JSON.stringify(card);
      if (this.#lastPatch.get(placement.messageId) === content) return { ok: true };
      const wait = this.#limiter.take(`message:${placement.messageId}`);
      if (wait > 0) return cardHeld(wait);
      await this.api.patchCard(placement.messageId, card);
      this.#lastPatch.set(placement.messageId, content);
      return { ok: true };
    } catch (e) {
      return outcomeOf(e);
    }
  }
}

/** Held back by our own pacing of Feishu's per-chat (and per-card) limits: retried when the second allows. */
const held = (what: string, retryAfterMs: number): DeliveryOutcome => ({
  ok: false,
  error: `holding: ${what}`,
  retryAfterMs,
  hold: true,
});
const chatHeld = (wait: number) => held("5 messages a second into one chat", wait);
const cardHeld = (wait: number) => held("5 updates a second per card", wait);

function toast(t: Text, type: "success" | "error" | "info" | "warning"): CallbackAnswer {
  return { toast: { type, content: t["zh-CN"], i18n: { zh_cn: t["zh-CN"], en_us: t.en } } };
}
