import type { Logger } from "pino";
import type { DingTalkCardData, DingTalkMessage } from "../../cards/render/dingtalk.ts";
import type { Clock } from "../../core/ports.ts";
import { type DingTalkApi, DingTalkApiError } from "./api.ts";
import type { DingTalkConfig } from "./config.ts";
import type { ProblemLog } from "./problems.ts";

/** Where a card or message goes: a group (by openConversationId) or the robot's 1:1 chat with users. */
export type Space =
  | { readonly kind: "group"; readonly conversationId: string }
  | { readonly kind: "robot"; readonly userIds: readonly string[] };

export const spaceKey = (s: Space): string =>
  s.kind === "group" ? `IM_GROUP.${s.conversationId}` : s.userIds.map((u) => `IM_ROBOT.${u}`).join(";");

/**
 * The session webhook of the latest message in each conversation, used while it is valid. Only a webhook on
 * DingTalk's own host (`origin`, the OAPI base) is kept: the URL comes in the message body, which the robot's
 * sign does not cover, and the bot must never post a conversation's replies anywhere else.
 */
export class SessionWebhooks {
  readonly #byConversation = new Map<string, { url: string; expiresAt: number }>();
  constructor(
    readonly clock: Clock,
    readonly origin?: string,
  ) {}

  remember(conversationId: string, url: string | undefined, expiresAt: number | undefined): void {
    if (!url || !expiresAt) return;
    if (this.origin !== undefined && !sameOrigin(url, this.origin)) return;
    const known = this.#byConversation.get(conversationId);
    if (!known || known.expiresAt < expiresAt) this.#byConversation.set(conversationId, { url, expiresAt });
  }

  /** A webhook still valid for a few seconds more, else undefined. */
  valid(conversationId: string): string | undefined {
    const s = this.#byConversation.get(conversationId);
    return s && s.expiresAt - 5_000 > this.clock.now().getTime() ? s.url : undefined;
  }

  forget(conversationId: string): void {
    this.#byConversation.delete(conversationId);
  }
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === new URL(origin).origin;
  } catch {
    return false;
  }
}

/** DingTalk allows a robot 20 messages a minute per group; closeloop stays under it and waits. */
export class GroupRateLimit {
  readonly #sent = new Map<string, number[]>();
  constructor(
    readonly clock: Clock,
    readonly perMinute = 20,
  ) {}

  /** Milliseconds to wait before the next post to this group, or 0 (and the post is counted). */
  take(conversationId: string): number {
    const now = this.clock.now().getTime();
    const recent = (this.#sent.get(conversationId) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= this.perMinute) {
      this.#sent.set(conversationId, recent);
      return recent[0]! + 60_000 - now;
    }
    recent.push(now);
    this.#sent.set(conversationId, recent);
    return 0;
  }
}

export class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`group robot limit: retry in ${retryAfterMs} ms`);
    this.name = "RateLimited";
  }
}

/** The calls that put things in DingTalk: cards, card updates, robot messages, DING. */
export class Messenger {
  constructor(
    readonly api: DingTalkApi,
    readonly config: DingTalkConfig,
    readonly sessions: SessionWebhooks,
    readonly limit: GroupRateLimit,
    readonly problems: ProblemLog,
    readonly logger: Logger,
  ) {}

  #template(): string {
    const id = this.config.cardTemplateId;
    if (!id) {
      throw new DingTalkApiError(
        400,
        "param.templateNotExist",
        "DINGTALK_CARD_TEMPLATE_ID is not set",
        "config",
      );
    }
    return id;
  }

  /**
   * Creates and delivers an interactive card (callbacks over Stream). The outTrackId is the idempotency
   * key: when a retry finds the card already there, it is updated instead, so a place never gets two.
   */
  async postCard(
    outTrackId: string,
    space: Space,
    data: DingTalkCardData,
    atNames: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    if (space.kind === "group") this.#take(space.conversationId);
    const body: Record<string, unknown> = {
      cardTemplateId: this.#template(),
      outTrackId,
      callbackType: "STREAM",
      cardData: data.cardData,
      openSpaceId: `dtv1.card//${spaceKey(space)}`,
      userIdType: 1,
    };
    if (space.kind === "group") {
      const atUserIds = Object.fromEntries(data.cardAtUserIds.map((id) => [id, atNames[id] ?? id]));
      body.imGroupOpenSpaceModel = { supportForward: true };
      body.imGroupOpenDeliverModel = {
        robotCode: this.config.robotCode,
        ...(data.cardAtUserIds.length ? { atUserIds } : {}),
      };
    } else {
      body.imRobotOpenSpaceModel = { supportForward: true };
      body.imRobotOpenDeliverModel = { spaceType: "IM_ROBOT", robotCode: this.config.robotCode };
    }
    try {
      const res = await this.api.call<{
        result?: { deliverResults?: { success: boolean; errorMsg?: string; spaceId: string }[] };
      }>("POST", "/v1.0/card/instances/createAndDeliver", body);
      const failed = (res.result?.deliverResults ?? []).filter((r) => !r.success);
      if (failed.length) {
        const e = new DingTalkApiError(
          400,
          "robot.notInGroup",
          failed.map((f) => `${f.spaceId}: ${f.errorMsg}`).join("; "),
          "config",
        );
        this.problems.report(e, "posting a card");
        if (failed.length === (res.result?.deliverResults ?? []).length) throw e;
      }
    } catch (e) {
      if (e instanceof DingTalkApiError && e.code === "param.cardAlreadyExist") {
        await this.updateCard(outTrackId, data);
        return;
      }
      throw this.#report(e, "posting a card");
    }
  }

  /** Replaces the card's data (every template variable is in every render, so nothing stale remains). */
  async updateCard(
    outTrackId: string,
    data: DingTalkCardData,
    privateData?: Readonly<Record<string, DingTalkCardData>>,
  ): Promise<void> {
    try {
      await this.api.call("PUT", "/v1.0/card/instances", {
        outTrackId,
        cardData: data.cardData,
        ...(privateData
          ? { privateData: Object.fromEntries(Object.entries(privateData).map(([u, d]) => [u, d.cardData])) }
          : {}),
        cardUpdateOptions: { updateCardDataByKey: false, updatePrivateDataByKey: false },
        userIdType: 1,
      });
    } catch (e) {
      throw this.#report(e, "updating a card");
    }
  }

  /** A reply in a conversation: its session webhook while valid, else the robot's send API. */
  async reply(
    conversationId: string,
    isGroup: boolean,
    userId: string | undefined,
    message: DingTalkMessage | string,
  ): Promise<void> {
    const webhook = this.sessions.valid(conversationId);
    if (webhook) {
      try {
        await this.api.postWebhook(webhook, toWebhookBody(message));
        return;
      } catch (e) {
        if (!(e instanceof DingTalkApiError) || e.kind === "throttle" || e.kind === "server") throw e;
        // Expired early or refused: the send API still reaches the conversation.
        this.sessions.forget(conversationId);
      }
    }
    const { msgKey, msgParam } = toMsgParam(message);
    try {
      if (isGroup) {
        this.#take(conversationId);
        await this.api.call("POST", "/v1.0/robot/groupMessages/send", {
          robotCode: this.config.robotCode,
          openConversationId: conversationId,
          msgKey,
          msgParam: JSON.stringify(msgParam),
        });
      } else if (userId) {
        await this.api.call("POST", "/v1.0/robot/oToMessages/batchSend", {
          robotCode: this.config.robotCode,
          userIds: [userId],
          msgKey,
          msgParam: JSON.stringify(msgParam),
        });
      }
    } catch (e) {
      throw this.#report(e, "sending a robot message");
    }
  }

  /** Rings people through DING; throws what DingTalk answered (edition, quota, permission...). */
  async ding(userIds: readonly string[], content: string, remindType: number): Promise<void> {
    await this.api.call("POST", "/v1.0/robot/ding/send", {
      robotCode: this.config.robotCode,
      remindType,
      receiverUserIdList: userIds,
      content,
    });
  }

  #take(conversationId: string): void {
    const wait = this.limit.take(conversationId);
    if (wait > 0) throw new RateLimited(wait);
  }

  #report(e: unknown, during: string): unknown {
    if (e instanceof DingTalkApiError && e.kind === "config") this.problems.report(e, during);
    return e;
  }
}

export function toWebhookBody(message: DingTalkMessage | string): Record<string, unknown> {
  if (typeof message === "string") return { msgtype: "text", text: { content: message } };
  return message as unknown as Record<string, unknown>;
}

/** A rendered message as the send API's msgKey/msgParam (which carries no @: the card or webhook does). */
export function toMsgParam(message: DingTalkMessage | string): {
  msgKey: string;
  msgParam: Record<string, string>;
} {
  if (typeof message === "string") return { msgKey: "sampleText", msgParam: { content: message } };
  if (message.msgtype === "markdown")
    return {
      msgKey: "sampleMarkdown",
      msgParam: { title: message.markdown.title, text: message.markdown.text },
    };
  const c = message.actionCard;
  if (c.singleTitle && c.singleURL)
    return {
      msgKey: "sampleActionCard",
      msgParam: { title: c.title, text: c.text, singleTitle: c.singleTitle, singleURL: c.singleURL },
    };
  return { msgKey: "sampleMarkdown", msgParam: { title: c.title, text: c.text } };
}
