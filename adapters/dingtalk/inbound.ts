import { newTicketCard } from "../../cards/model/index.ts";
import { renderDingTalkCard } from "../../cards/render/dingtalk.ts";
import { inertQuote } from "../../cards/text/markup.ts";
import { parseChatCommand } from "../../core/chat/grammar.ts";
import { chatHelp } from "../../core/chat/help.ts";
import type { Person } from "../../core/directory/schema.ts";
import { isDomainError } from "../../core/errors.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { TicketRecord } from "../../core/ports.ts";
import type { PlatformContext } from "../platform-module.ts";
import type { Identities } from "./identity.ts";
import type { Messenger, Space } from "./outbound.ts";
import { spaceKey } from "./outbound.ts";
import { type CardBuilder, digest, ticketTrackId } from "./render.ts";
import type { RobotMessage } from "./wire.ts";

const NOT_IN_DIRECTORY = {
  "zh-CN": "你还不在 closeloop 通讯录中，请联系管理员在 directory.people 里添加你的钉钉 userId。",
  en: "You are not in closeloop's directory yet: ask an admin to add your DingTalk userId under directory.people.",
} as const;

const NO_BOARD = {
  "zh-CN": "看板地址尚未配置（服务器的公开地址未知）。",
  en: "The board's address is not configured (the server's public URL is unknown).",
} as const;

const MINE_TITLE = { "zh-CN": "我的未完成工单", en: "My open tickets" } as const;
const MINE_NONE = { "zh-CN": "你没有未完成的工单。", en: "You have no open tickets." } as const;
const STATUS = {
  "zh-CN": { pending: "待处理", in_progress: "处理中", resolved: "已解决" },
  en: { pending: "pending", in_progress: "in progress", resolved: "resolved" },
} as const;

/** One robot message, already acknowledged and de-duplicated: parse, run, answer in the same conversation. */
export class RobotMessages {
  constructor(
    readonly ctx: PlatformContext,
    readonly cards: CardBuilder,
    readonly ids: Identities,
    readonly out: Messenger,
  ) {}

  async handle(msg: RobotMessage): Promise<void> {
    const isGroup = msg.conversationType === "2";
    const senderId = msg.senderStaffId ?? "";
    this.out.sessions.remember(msg.conversationId, msg.sessionWebhook, msg.sessionWebhookExpiredTime);
    const person = senderId ? this.ids.person(senderId) : undefined;
    const reply = (text: string) => this.out.reply(msg.conversationId, isGroup, senderId || undefined, text);
    const locale: Locale = person?.locale ?? this.ctx.config.locale;
    if (!person) return reply(NOT_IN_DIRECTORY[locale]);
    const space: Space = isGroup
      ? { kind: "group", conversationId: msg.conversationId }
      : { kind: "robot", userIds: [senderId] };
    const text = msg.msgtype === "text" ? (msg.text?.content ?? "") : "";
    const command = parseChatCommand(text);
    const caller = { actor: person.id, via: "dingtalk" as const };
    try {
      switch (command.kind) {
        case "create": {
          const { record, duplicate } = await this.ctx.service.createOnce(caller, {
            description: command.description,
            origin: { platform: "dingtalk", chatId: msg.conversationId, messageId: msg.msgId },
          });
          // A redelivered message posts nothing new; a retry of a half-done one finishes posting the card
          // (its outTrackId makes a second card impossible).
          if (duplicate && this.#posted(record, space)) return;
          return this.postTicket(record, space, isGroup ? undefined : person);
        }
        case "show":
          return this.postTicket(
            await this.ctx.service.get(command.number),
            space,
            isGroup ? undefined : person,
          );
        case "create_form": {
          const card = newTicketCard(
            { id: msg.msgId, description: "" },
            this.cards.context(undefined, person),
          );
          await this.out.postCard(`cl_form_${digest(msg.msgId, 24)}`, space, renderDingTalkCard(card));
          return;
        }
        case "mine":
          return reply(await this.#mine(person, locale));
        case "board": {
          const url = this.ctx.publicUrl;
          return reply(url ? `${url}/board` : NO_BOARD[locale]);
        }
        default:
          return reply(chatHelp(locale));
      }
    } catch (e) {
      if (!isDomainError(e)) throw e;
      return reply(e.text[locale]);
    }
  }

  #posted(record: TicketRecord, space: Space): boolean {
    const key = spaceKey(space);
    return record.state.placements.some((p) => p.platform === "dingtalk" && p.extra?.space === key);
  }

  /** Posts the ticket's card in a place (at most once there) and records the placement for updates. */
  async postTicket(record: TicketRecord, space: Space, viewer?: Person): Promise<void> {
    const key = spaceKey(space);
    const outTrackId = ticketTrackId(record.state.number, key);
    const data = renderDingTalkCard(this.cards.ticket(record, viewer));
    await this.out.postCard(outTrackId, space, data, this.#names(data.cardAtUserIds));
    await this.ctx.service.recordPlacement(record.state.number, {
      platform: "dingtalk",
      chatId: space.kind === "group" ? space.conversationId : `robot:${space.userIds[0]}`,
      messageId: outTrackId,
      extra: { space: key },
    });
  }

  #names(userIds: readonly string[]): Record<string, string> {
    return Object.fromEntries(userIds.map((u) => [u, this.ids.person(u)?.name ?? u]));
  }

  async #mine(person: Person, locale: Locale): Promise<string> {
    const page = await this.ctx.service.list({
      owner: person.id,
      status: ["pending", "in_progress"],
      limit: 20,
    });
    if (page.items.length === 0) return MINE_NONE[locale];
    const lines = page.items.map(
      (r) =>
        `• ${r.state.number} · ${STATUS[locale][r.state.status]} · ${inertQuote(r.state.description, 40)}`,
    );
    return [MINE_TITLE[locale], ...lines].join("\n");
  }
}
