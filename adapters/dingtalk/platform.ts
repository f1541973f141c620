import type { Logger } from "pino";
import { kbAnswerCard, kbAnswerOf } from "../../cards/model/index.ts";
import {
  type DingTalkCardData,
  renderDingTalkCard,
  renderDingTalkMessage,
} from "../../cards/render/dingtalk.ts";
import { type ChatPlatform, inboundRecipient } from "../../core/chat/platform.ts";
import type { Person } from "../../core/directory/schema.ts";
import { DomainError, isDomainError } from "../../core/errors.ts";
import { answerOf } from "../../core/kb/answer.ts";
import { OnceCalls } from "../../core/notify/once-calls.ts";
import type { DeliveryOutcome, OutboxItem, TicketRecord } from "../../core/ports.ts";
import type { Placement } from "../../core/ticket/events.ts";
import type { Timers } from "../../core/timers.ts";
import type { PlatformContext } from "../platform-module.ts";
import { isReviewItem, reviewCardOf } from "../review-card.ts";
import { DingTalkApi, DingTalkApiError } from "./api.ts";
import { CardClicks } from "./clicks.ts";
import { DING_MODES, type DingTalkConfig } from "./config.ts";
import { Identities } from "./identity.ts";
import { RobotMessages } from "./inbound.ts";
import { DepartmentHeads } from "./org.ts";
import { GroupRateLimit, Messenger, RateLimited, SessionWebhooks, type Space } from "./outbound.ts";
import { ProblemLog } from "./problems.ts";
import { CardBuilder, itemsTrackId } from "./render.ts";
import { GatewayClient, GatewayConnection, type ReconnectPolicy } from "./stream.ts";
import {
  type CardCallback,
  cardCallbackSchema,
  robotMessageSchema,
  TOPIC_CARD,
  TOPIC_ROBOT,
} from "./wire.ts";

export interface DingTalkPlatformOptions {
  /** Card answers slower than this are acknowledged empty and the card is updated right after. */
  readonly answerBudgetMs?: number;
  readonly reconnect?: ReconnectPolicy;
  readonly timers?: Timers;
  readonly throttleBackoffMs?: number;
  readonly fetch?: typeof fetch;
  /** The playground: DingTalk user ids are the directory's ids. */
  readonly matchDirectoryIds?: boolean;
}

const SHOWN_MEMORY = 10_000;
const ALERTS = new Set(["overdue_alert", "sla_warning", "escalation", "remedy_alert"]);

const DING_TEXT = {
  "zh-CN": (n: string) => `请尽快处理工单 ${n}`,
  en: (n: string) => `Please handle ticket ${n} now`,
} as const;

/** DingTalk as one ChatPlatform: Stream (or HTTP) in, OpenAPI out, both through the outbox. */
export class DingTalkPlatform implements ChatPlatform {
  readonly id = "dingtalk";
  readonly capabilities;
  readonly api: DingTalkApi;
  readonly out: Messenger;
  readonly problems: ProblemLog;
  readonly heads: DepartmentHeads;
  readonly cards: CardBuilder;
  readonly ids: Identities;
  readonly messages: RobotMessages;
  readonly clicks: CardClicks;
  readonly connection: GatewayConnection;
  /** DING refusals that fell back to the @ mention, newest last (also logged). */
  readonly dingFallbacks: { ticket: string; userId: string; code: string }[] = [];
  readonly #log: Logger;
  /** What each card shows everyone, as last written (a click's answer or an update): not written twice. */
  readonly #shown = new Map<string, string>();
  /** The nudge's session-webhook @ message and its DING, each made at most once per outbox row. */
  readonly #once: OnceCalls;

  constructor(
    readonly ctx: PlatformContext,
    readonly config: DingTalkConfig,
    readonly opts: DingTalkPlatformOptions = {},
  ) {
    this.#log = ctx.logger.child({ platform: "dingtalk" });
    this.#once = new OnceCalls(ctx.store, () => ctx.clock.now());
    this.capabilities = { urgent: config.ding !== "off", updateCards: true, directMessages: true };
    this.api = new DingTalkApi({
      config,
      clock: ctx.clock,
      logger: this.#log,
      throttleBackoffMs: opts.throttleBackoffMs,
      fetch: opts.fetch,
    });
    this.problems = new ProblemLog(this.#log);
    this.out = new Messenger(
      this.api,
      config,
      new SessionWebhooks(ctx.clock, config.oapiBase),
      new GroupRateLimit(ctx.clock),
      this.problems,
      this.#log,
    );
    this.heads = new DepartmentHeads(this.api, ctx.clock);
    this.cards = new CardBuilder(ctx);
    this.ids = new Identities(ctx.directory, opts.matchDirectoryIds ?? false);
    this.messages = new RobotMessages(ctx, this.cards, this.ids, this.out);
    this.clicks = new CardClicks(ctx, this.cards, this.ids, (record, cb) => this.#cardCreated(record, cb));
    // Card callbacks always come over Stream (cards are created with callbackType STREAM); in HTTP mode
    // robot messages arrive at POST /dingtalk/events instead of the stream.
    const client = new GatewayClient({
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      apiBase: config.apiBase,
      logger: this.#log,
      fetch: opts.fetch,
    });
    if (config.mode === "stream")
      client.registerCallbackListener(
        TOPIC_ROBOT,
        (frame) => void this.#onRobotFrame(client, frame.headers.messageId, frame.data),
      );
    client.registerCallbackListener(
      TOPIC_CARD,
      (frame) => void this.#onCardFrame(client, frame.headers.messageId, frame.data),
    );
    this.connection = new GatewayConnection(client, this.#log, {
      timers: opts.timers,
      policy: opts.reconnect,
    });
  }

  reaches(person: Person): boolean {
    return this.ids.userId(person) !== undefined;
  }

  async start(): Promise<void> {
    await this.connection.start();
  }

  async stop(): Promise<void> {
    await this.connection.stop();
  }

  // ---- inbound -----------------------------------------------------------------------------------------

  /** Durably queues a robot message (the key de-duplicates redeliveries for days); then it may be acked. */
  async enqueueMessage(data: unknown): Promise<boolean> {
    const msg = robotMessageSchema.safeParse(data);
    if (!msg.success) {
      this.#log.warn(
        { issues: msg.error.issues.length },
        "DingTalk: ignored a robot message that does not parse",
      );
      return false;
    }
    await this.ctx.store.enqueue([
      {
        key: `dingtalk:msg:${msg.data.msgId}`,
        kind: "inbound",
        recipient: inboundRecipient("dingtalk"),
        ticket: "",
        payload: msg.data as Record<string, unknown>,
      },
    ]);
    return true;
  }

  async #onRobotFrame(client: GatewayClient, messageId: string, data: string): Promise<void> {
    try {
      await this.enqueueMessage(JSON.parse(data));
      client.socketCallBackResponse(messageId, {});
    } catch (err) {
      // Not acknowledged: DingTalk delivers it again, and the inbox key keeps it to one ticket.
      this.#log.error({ err }, "DingTalk: could not queue a robot message; it will be redelivered");
    }
  }

  async #onCardFrame(client: GatewayClient, messageId: string, data: string): Promise<void> {
    let cb: CardCallback;
    try {
      cb = cardCallbackSchema.parse(JSON.parse(data));
    } catch {
      client.socketCallBackResponse(messageId, {});
      return;
    }
    const work = this.clicks.answer(cb, messageId);
    const budget = this.opts.answerBudgetMs ?? 1500;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), budget);
    });
    const answer = await Promise.race([work.catch(() => undefined), late]);
    clearTimeout(timer);
    if (answer) {
      client.socketCallBackResponse(messageId, answer);
      if (answer.cardData) this.#remember(cb.outTrackId, answer.cardData);
      return;
    }
    // Too slow for DingTalk's 2 s: acknowledge now, update the card when the command is done.
    client.socketCallBackResponse(messageId, {});
    try {
      const done = await work;
      const map = done.cardData;
      if (map) {
        await this.out.updateCard(cb.outTrackId, { cardData: map, cardAtUserIds: [] });
        this.#remember(cb.outTrackId, map);
      }
      if (done.userPrivateData)
        await this.api.call("PUT", "/v1.0/card/instances", {
          outTrackId: cb.outTrackId,
          privateData: { [cb.userId]: done.userPrivateData },
          cardUpdateOptions: { updatePrivateDataByKey: false },
        });
    } catch (err) {
      this.#log.error({ err }, "DingTalk: a slow card click failed");
    }
  }

  async #cardCreated(record: TicketRecord, cb: CardCallback): Promise<void> {
    const group = cb.spaceType === "IM_GROUP";
    await this.ctx.service.recordPlacement(record.state.number, {
      platform: "dingtalk",
      chatId: group ? (cb.spaceId ?? "") : `robot:${cb.spaceId ?? cb.userId}`,
      messageId: cb.outTrackId,
      extra: { space: `${cb.spaceType ?? "IM_GROUP"}.${cb.spaceId ?? ""}` },
    });
  }

  async handleInbound(item: OutboxItem): Promise<DeliveryOutcome> {
    const msg = robotMessageSchema.safeParse(item.payload);
    if (!msg.success) return { ok: false, permanent: true, error: "robot message does not parse" };
    return this.#outcome(() => this.messages.handle(msg.data));
  }

  // ---- outbound ----------------------------------------------------------------------------------------

  async deliver(recipient: Person, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const userId = this.ids.userId(recipient);
    if (!userId) return { ok: false, permanent: true, error: `${recipient.id} has no DingTalk userId` };
    return this.#outcome(async () => {
      const alerts = items.filter((i) => ALERTS.has(i.kind) && i.kind !== "escalation");
      if (items.length > 1 && alerts.length > 1) {
        await this.#digest(recipient, userId, alerts);
        for (const i of items.filter((x) => !alerts.includes(x))) await this.#one(recipient, userId, i);
        return;
      }
      for (const i of items) await this.#one(recipient, userId, i);
    });
  }

  async #record(number: string): Promise<TicketRecord> {
    return this.ctx.service.get(number);
  }

  async #one(person: Person, userId: string, item: OutboxItem): Promise<void> {
    if (isReviewItem(item)) return this.#review(person, userId, item);
    const record = await this.#record(item.ticket);
    if (item.kind === "nudge") return this.#nudge(person, userId, record, item);
    const space: Space = { kind: "robot", userIds: [userId] };
    if (item.kind === "assigned" || item.kind === "new_ticket" || item.kind === "reopened") {
      // The ticket's own card in the person's 1:1 chat with the robot, kept up to date from now on.
      return this.messages.postTicket(record, space, person);
    }
    const recipients = item.kind === "overdue_alert" ? await this.#withOrgHeads(userId, record) : [userId];
    const card = this.cards.forItem(record, item, person);
    await this.out.postCard(
      itemsTrackId([item]),
      { kind: "robot", userIds: recipients },
      renderDingTalkCard(card),
    );
  }

  /** A head's weekly review, as a card in their 1:1 chat with the robot. */
  async #review(person: Person, userId: string, item: OutboxItem): Promise<void> {
    const built = reviewCardOf(item, this.cards.context(undefined, person), this.ctx.publicUrl);
    if ("error" in built)
      throw new DomainError("validation", { "zh-CN": built.error, en: built.error }, { key: item.key });
    await this.out.postCard(
      itemsTrackId([item]),
      { kind: "robot", userIds: [userId] },
      renderDingTalkCard(built.card),
    );
  }

  /** Overdue alerts also reach the DingTalk department managers of the owner whom the directory knows. */
  async #withOrgHeads(userId: string, record: TicketRecord): Promise<string[]> {
    const owner = record.state.owner ? this.ctx.directory.person(record.state.owner) : undefined;
    const ownerId = owner && this.ids.userId(owner);
    if (!ownerId) return [userId];
    try {
      const heads = await this.heads.headsOf(ownerId);
      const known = heads.filter((h) => this.ids.person(h));
      return [...new Set([userId, ...known])];
    } catch (e) {
      if (e instanceof DingTalkApiError && e.kind === "config")
        this.problems.report(e, "reading department heads");
      else
        this.#log.warn(
          { err: e },
          "DingTalk: department heads unavailable; alerting the configured head only",
        );
      return [userId];
    }
  }

  async #digest(person: Person, userId: string, items: readonly OutboxItem[]): Promise<void> {
    const alerts = [];
    for (const i of items) alerts.push(this.cards.alert(await this.#record(i.ticket), i));
    const card = this.cards.digest(alerts, person);
    await this.out.postCard(
      itemsTrackId(items),
      { kind: "robot", userIds: [userId] },
      renderDingTalkCard(card),
    );
  }

  /** The owner, @-mentioned where the ticket came from (text + atUserIds, or the card's @), and DING'd. */
  async #nudge(owner: Person, userId: string, record: TicketRecord, item: OutboxItem): Promise<void> {
    const chat = item.payload.chat as { platform?: string; chatId?: string } | undefined;
    const by = typeof item.payload.by === "string" ? item.payload.by : undefined;
    const group = chat?.platform === "dingtalk" && chat.chatId ? chat.chatId : undefined;
    await this.#mention(owner, userId, record, item, group, by);
    if (item.payload.urgent !== true || this.config.ding === "off") return;
    // Written down first: a retry of the row (its DING refused for now, or after a crash) sends it once.
    const claim = `ding:${item.key}`;
    if (!(await this.#once.claim(claim))) return;
    try {
      await this.out.ding(
        [userId],
        DING_TEXT[this.cards.localeOf(owner)](record.state.number),
        DING_MODES[this.config.ding],
      );
    } catch (e) {
      if (e instanceof DingTalkApiError && (e.kind === "throttle" || e.kind === "server")) {
        // Busy or throttled: the row is retried, and then only the DING goes again.
        await this.#once.release(claim);
        throw e;
      }
      const code = e instanceof DingTalkApiError ? e.code : String(e);
      this.dingFallbacks.push({ ticket: record.state.number, userId, code });
      this.#log.warn(
        { ticket: record.state.number, code },
        "DingTalk: DING refused (edition, quota or permission); the @ mention was sent instead",
      );
      if (e instanceof DingTalkApiError && e.kind === "config") this.problems.report(e, "sending a DING");
    }
  }

  /** The nudge's @ message: in the ticket's group (session webhook, else a card), else one to one. */
  async #mention(
    owner: Person,
    userId: string,
    record: TicketRecord,
    item: OutboxItem,
    group: string | undefined,
    by: string | undefined,
  ): Promise<void> {
    const card = this.cards.nudge(record, by);
    if (group && this.out.sessions.valid(group)) {
      // A session-webhook message has no idempotency key: claimed first, released only when DingTalk
      // plainly refused it (a timeout may have been delivered).
      const claim = `mention:${item.key}`;
      if (!(await this.#once.claim(claim))) return;
      try {
        await this.out.reply(group, true, undefined, renderDingTalkMessage(card));
      } catch (e) {
        if (e instanceof DingTalkApiError) await this.#once.release(claim);
        throw e;
      }
    } else if (group) {
      const data = renderDingTalkCard(card);
      await this.out.postCard(itemsTrackId([item]), { kind: "group", conversationId: group }, data, {
        [userId]: owner.name,
      });
    } else {
      await this.out.postCard(
        itemsTrackId([item]),
        { kind: "robot", userIds: [userId] },
        renderDingTalkCard(card),
      );
    }
  }

  /** A knowledge-base answer as a card in the ticket's group, or in the robot's 1:1 chat its card is in. */
  async postToChat(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const answers = items.map((item) => ({ item, answer: answerOf(item) }));
    const bad = answers.find((a) => !a.answer);
    if (bad) return { ok: false, permanent: true, error: `a ${bad.item.kind} row cannot go into a chat` };
    return this.#outcome(async () => {
      for (const { item, answer } of answers) {
        const { chatId, extra } = answer!.chat;
        const robotUser = chatId.startsWith("robot:")
          ? chatId.slice("robot:".length)
          : extra?.space?.startsWith("IM_ROBOT.")
            ? extra.space.slice("IM_ROBOT.".length)
            : undefined;
        const space: Space = robotUser
          ? { kind: "robot", userIds: [robotUser] }
          : { kind: "group", conversationId: chatId };
        const card = kbAnswerCard(kbAnswerOf(answer!, item.ticket), this.cards.context(undefined, undefined));
        await this.out.postCard(itemsTrackId([item]), space, renderDingTalkCard(card));
      }
    });
  }

  async updatePlacement(placement: Placement, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const number = items[0]?.ticket;
    if (!number) return { ok: false, permanent: true, error: "card refresh without a ticket" };
    return this.#outcome(async () => {
      const record = await this.#record(number);
      const space = placement.extra?.space ?? "";
      const viewer = space.startsWith("IM_ROBOT.")
        ? this.ids.person(space.slice("IM_ROBOT.".length))
        : undefined;
      const data = renderDingTalkCard(this.cards.ticket(record, viewer));
      // The click that made this change was answered with this very card: nothing new to write.
      if (this.#shown.get(placement.messageId) === JSON.stringify(data.cardData)) return;
      await this.out.updateCard(placement.messageId, data);
      this.#remember(placement.messageId, data.cardData);
    });
  }

  #remember(outTrackId: string, cardData: DingTalkCardData["cardData"]): void {
    this.#shown.delete(outTrackId);
    this.#shown.set(outTrackId, JSON.stringify(cardData));
    for (const key of this.#shown.keys()) {
      if (this.#shown.size <= SHOWN_MEMORY) break;
      this.#shown.delete(key);
    }
  }

  /** Platform errors as outbox outcomes: throttles wait, setup errors stop retrying, the rest retries. */
  async #outcome(run: () => Promise<void>): Promise<DeliveryOutcome> {
    try {
      await run();
      return { ok: true };
    } catch (e) {
      if (e instanceof RateLimited) return { ok: false, error: e.message, retryAfterMs: e.retryAfterMs };
      if (e instanceof DingTalkApiError) {
        if (e.kind === "throttle")
          return { ok: false, error: e.message, retryAfterMs: e.retryAfterMs ?? 1000 };
        if (e.kind === "config" || e.code === "param.cardNotExist")
          return { ok: false, permanent: true, error: e.message };
        return { ok: false, error: e.message };
      }
      if (isDomainError(e)) return { ok: false, permanent: true, error: e.message };
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }
}
