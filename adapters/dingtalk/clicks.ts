import type { Card } from "../../cards/model/index.ts";
import { inboundCallbackSchema } from "../../cards/model/index.ts";
import { type DingTalkCardData, renderDingTalkCard } from "../../cards/render/dingtalk.ts";
import { runCardClick } from "../../core/chat/actions.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { TicketRecord } from "../../core/ports.ts";
import type { PlatformContext } from "../platform-module.ts";
import type { Identities } from "./identity.ts";
import type { CardBuilder } from "./render.ts";
import { type CardCallback, cardContentSchema } from "./wire.ts";

/** The answer to a card callback: the card for everyone, and what only the clicker sees. */
export interface CardAnswer {
  readonly cardData?: DingTalkCardData["cardData"];
  readonly userPrivateData?: DingTalkCardData["cardData"];
  readonly cardUpdateOptions: { readonly updateCardDataByKey: false; readonly updatePrivateDataByKey: false };
}

const UNKNOWN_PERSON = {
  "zh-CN": "你不在 closeloop 通讯录中，无法操作工单",
  en: "You are not in closeloop's directory, so you cannot act on tickets",
} as const;
const BAD_CLICK = {
  "zh-CN": "无法识别这个按钮，请刷新卡片",
  en: "This button was not understood; refresh the card",
} as const;

const OPTIONS = { updateCardDataByKey: false, updatePrivateDataByKey: false } as const;

/** Callback params as the template sends them: values may come back as text ("3" for a version). */
function parseParams(params: Record<string, unknown>) {
  const version =
    typeof params.version === "string" && params.version !== "" ? Number(params.version) : params.version;
  return inboundCallbackSchema.safeParse({ ...params, version: version ?? 0 });
}

/**
 * A click on a ticket card: the clicker becomes a person, the command runs with their rights, and the
 * answer is the re-rendered card; a refusal goes only to the clicker, with the reason on the card.
 */
export class CardClicks {
  constructor(
    readonly ctx: PlatformContext,
    readonly cards: CardBuilder,
    readonly ids: Identities,
    /** After a create from the new-ticket form: remember where its card now is. */
    readonly onCreated: (record: TicketRecord, cb: CardCallback) => Promise<void>,
  ) {}

  /** `delivery`: the stream frame's messageId, the same when DingTalk delivers the click again. */
  async answer(cb: CardCallback, delivery?: string): Promise<CardAnswer> {
    const person = this.ids.person(cb.userId);
    const locale: Locale = person?.locale ?? this.ctx.config.locale;
    let params: Record<string, unknown> = {};
    try {
      params = cardContentSchema.parse(JSON.parse(cb.content)).cardPrivateData.params;
    } catch {
      params = {};
    }
    const parsed = parseParams(params);
    const record =
      parsed.success && parsed.data.ticket
        ? await this.ctx.service.get(parsed.data.ticket).catch(() => undefined)
        : undefined;
    const viewer = this.#viewer(cb);
    if (!person) return this.#refuse(record, viewer, UNKNOWN_PERSON[locale], locale);
    if (!parsed.success) return this.#refuse(record, viewer, BAD_CLICK[locale], locale);
    const { action, ticket, version, form, draft: _draft, ...fields } = parsed.data;

    if (form === "open" && record) {
      const card = this.cards.ticket(record, viewer, { locale });
      const formId = formOf(card, action);
      const opened = this.cards.ticket(record, viewer, { openForm: formId, locale });
      return { userPrivateData: renderDingTalkCard(opened).cardData, cardUpdateOptions: OPTIONS };
    }

    const origin =
      action === "create"
        ? { platform: "dingtalk", chatId: cb.spaceId ?? cb.outTrackId, messageId: cb.outTrackId }
        : undefined;
    const result = await runCardClick(
      this.ctx.service,
      { actor: person.id, via: "dingtalk", ...(delivery ? { request: `dingtalk:${delivery}` } : {}) },
      { action, ticket, version, fields },
      origin,
      this.ctx.clickExtension,
    );
    if (!result.ok || !result.record)
      return this.#refuse(result.record ?? record, viewer, result.toast[locale], locale);
    if (action === "create") await this.onCreated(result.record, cb);
    const data = renderDingTalkCard(this.cards.ticket(result.record, viewer)).cardData;
    // The clicker's private layer (an open form, a refusal) is replaced by the public card.
    return { cardData: data, userPrivateData: data, cardUpdateOptions: OPTIONS };
  }

  /** Group cards are rendered for no one in particular; a 1:1 card for the person it was sent to. */
  #viewer(cb: CardCallback): Person | undefined {
    if (cb.spaceType !== "IM_ROBOT" || !cb.spaceId) return undefined;
    return this.ids.person(cb.spaceId);
  }

  #refuse(
    record: TicketRecord | undefined,
    viewer: Person | undefined,
    reason: string,
    locale: Locale,
  ): CardAnswer {
    const base: Card = record
      ? this.cards.ticket(record, viewer, { locale })
      : {
          kind: "ticket",
          locale,
          header: { title: "closeloop", tone: "grey", tags: [] },
          blocks: [],
          summary: "",
        };
    return {
      userPrivateData: renderDingTalkCard(this.cards.withNotice(base, reason)).cardData,
      cardUpdateOptions: OPTIONS,
    };
  }
}

function formOf(card: Card, action: string): string | undefined {
  for (const b of card.blocks)
    if (b.kind === "actions")
      for (const btn of b.buttons)
        if (btn.does.kind === "form" && btn.does.value.action === action) return btn.does.form.id;
  return undefined;
}
