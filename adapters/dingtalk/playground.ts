import { randomBytes } from "node:crypto";
import { dingTalkCardPreview, dingTalkMessagePreview } from "../../cards/preview/dingtalk-preview.ts";
import type { DingTalkMessage } from "../../cards/render/dingtalk.ts";
import type { ChatPlatform } from "../../core/chat/platform.ts";
import type { NotificationSink } from "../../core/ports.ts";
import type { PlatformContext } from "../platform-module.ts";
import { deliverLater } from "../playground/deliver-later.ts";
import type {
  PlaygroundButton,
  PlaygroundForm,
  PlaygroundMessage,
  PlaygroundPlugin,
  PlaygroundSession,
} from "../playground/types.ts";
import { DingTalkEmulator } from "./emulator/index.ts";
import type { EmuCard, SentMessage } from "./emulator/openapi.ts";
import { dingtalkModule } from "./index.ts";

const GROUP = "cidPlaygroundSupport==";
const TEMPLATE = "closeloop-playground-card";
const direct = (personId: string) => `robot:${personId}`;
const directCid = (personId: string) => `cid1on1_${personId}`;

function parse<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** The card's controls in the order the preview draws them: the form's submit first, then the buttons. */
export function dingTalkControls(map: Readonly<Record<string, string>>): {
  buttons: PlaygroundButton[];
  forms: PlaygroundForm[];
} {
  const buttons: PlaygroundButton[] = [];
  const forms: PlaygroundForm[] = [];
  const keys = Object.keys(map);
  const form = parse<{ submit: { params: Record<string, unknown> } }>(map.form);
  if (form) {
    const fields = keys
      .filter((k) => k.startsWith("input_"))
      .map((k) => parse<{ name: string; options?: { value: string }[] }>(map[k]))
      .filter((i) => i !== undefined)
      .map((i) => ({ name: i.name, ...(i.options ? { options: i.options.map((o) => o.value) } : {}) }));
    forms.push({ fields });
    buttons.push({ value: form.submit.params, form: 0 });
  }
  for (const k of keys.filter((x) => x.startsWith("button_"))) {
    const b = parse<{ kind: string; params?: Record<string, unknown>; url?: string }>(map[k]);
    if (!b) continue;
    buttons.push(b.kind === "link" ? { url: b.url } : { value: b.params });
  }
  return { buttons, forms };
}

/**
 * DingTalk in the playground: the local DingTalk in-process (every directory person a DingTalk user whose
 * userId is their directory id), one support group, and the real adapter on dingtalk-stream.
 */
export const dingtalkPlayground: PlaygroundPlugin = {
  id: "dingtalk",
  title: { "zh-CN": "钉钉", en: "DingTalk" },
  async start(ctx: PlatformContext, tee?: NotificationSink): Promise<PlaygroundSession> {
    const people = ctx.directory.people().filter((p) => p.id !== "api");
    const emu = new DingTalkEmulator({
      clientId: "dingplayground",
      clientSecret: randomBytes(16).toString("hex"),
      templates: [TEMPLATE],
      clock: ctx.clock,
      users: people.map((p) => ({ userId: p.id, name: p.name, deptIds: [1] })),
      departments: [{ deptId: 1, name: "公司", managers: [] }],
      groups: [{ openConversationId: GROUP, title: "售后支持群 Support" }],
    });
    await emu.start();
    const env = {
      DINGTALK_CLIENT_ID: emu.o.clientId,
      DINGTALK_CLIENT_SECRET: emu.o.clientSecret,
      DINGTALK_CARD_TEMPLATE_ID: TEMPLATE,
      DINGTALK_API_BASE: emu.url,
      DINGTALK_OAPI_BASE: emu.url,
      DINGTALK_DING: "app",
    };
    const inner = await dingtalkModule({ matchDirectoryIds: true }).create({ ...ctx, env });

    const teed = new Set<string>();
    const { later, stop: stopLater } = deliverLater(1000);
    const platform: ChatPlatform = {
      id: inner.id,
      capabilities: inner.capabilities,
      reaches: (p) => inner.reaches(p),
      async deliver(person, items) {
        // As with Feishu: the sandbox inbox lists each notification once; the local DingTalk gets it after.
        const fresh = items.filter((i) => !teed.has(i.key));
        if (tee && fresh.length) {
          await tee.deliver(person.id, fresh);
          for (const i of fresh) teed.add(i.key);
        }
        later(() => inner.deliver(person, items), 0);
        return { ok: true };
      },
      updatePlacement: (placement, items) => inner.updatePlacement(placement, items),
      handleInbound: (item) => inner.handleInbound!(item),
      start: () => inner.start?.() ?? Promise.resolve(),
      stop: async () => {
        stopLater();
        await inner.stop?.();
        await emu.stop();
      },
    };

    const said: { chat: string; from: string; text: string; at: number; seq: number }[] = [];
    let order = 0;
    /** Who last pressed a button on each card: the playground shows their private layer (forms, refusals). */
    const lastViewer = new Map<string, string>();
    const names = (id: string) => people.find((p) => p.id === id)?.name;
    const bot = { from: "bot", fromName: "closeloop", bot: true };

    const cardView = (c: EmuCard): PlaygroundMessage => {
      const viewer = lastViewer.get(c.outTrackId);
      const map = (viewer && emu.cardAsSeenBy(c.outTrackId, viewer)) || c.cardParamMap;
      return {
        id: c.outTrackId,
        ...bot,
        at: c.at,
        html: dingTalkCardPreview({ cardData: { cardParamMap: map as never }, cardAtUserIds: [] }),
        ...dingTalkControls(map),
      };
    };
    const messageView = (m: SentMessage): PlaygroundMessage => {
      const base = { id: `m${m.seq}`, ...bot, at: m.at };
      if (m.via === "session" && (m.msgtype === "markdown" || m.msgtype === "actionCard"))
        return { ...base, html: dingTalkMessagePreview(m.body as unknown as DingTalkMessage, names) };
      return { ...base, text: m.text };
    };
    const inChat = (chatId: string, m: SentMessage) =>
      chatId === GROUP
        ? m.target === GROUP
        : (m.via === "o2o" && direct(m.target) === chatId) ||
          (m.via === "session" && m.target === directCid(chatId.slice(6)));
    const cardIn = (chatId: string, c: EmuCard) =>
      c.spaces.includes(chatId === GROUP ? `IM_GROUP.${GROUP}` : `IM_ROBOT.${chatId.slice(6)}`);

    return {
      platform,
      people: () => people.map((p) => ({ id: p.id, name: p.name })),
      chats: (personId) =>
        people.some((p) => p.id === personId)
          ? [
              { id: GROUP, name: "售后支持群 Support", kind: "group" },
              { id: direct(personId), name: "closeloop（单聊 direct）", kind: "direct" },
            ]
          : [],
      messages(chatId) {
        const items: { seq: number; at: number; m: PlaygroundMessage }[] = [];
        for (const s of said.filter((x) => x.chat === chatId))
          items.push({
            seq: s.seq,
            at: s.at,
            m: {
              id: `u${s.seq}`,
              from: s.from,
              fromName: names(s.from) ?? s.from,
              bot: false,
              at: s.at,
              text: s.text,
            },
          });
        for (const m of emu.messages.filter((x) => inChat(chatId, x)))
          items.push({ seq: m.seq, at: m.at, m: messageView(m) });
        for (const c of [...emu.cards.values()].filter((x) => cardIn(chatId, x)))
          items.push({ seq: c.seq, at: c.at, m: cardView(c) });
        return items.sort((a, b) => a.at - b.at || a.seq - b.seq).map((x) => x.m);
      },
      async send(chatId, personId, text) {
        if (!people.some((p) => p.id === personId)) throw new Error("unknown person");
        const group = chatId === GROUP;
        said.push({ chat: chatId, from: personId, text, at: ctx.clock.now().getTime(), seq: --order });
        const body = group ? text.trim().replace(/^@?(closeloop|bot)\b\s*/i, "") : text;
        emu.robotMessage({
          conversationId: group ? GROUP : directCid(personId),
          conversationType: group ? "2" : "1",
          senderUserId: personId,
          text: body,
        });
      },
      async click(messageId, personId, value, fields) {
        lastViewer.set(messageId, personId);
        await emu.clickCard({ outTrackId: messageId, userId: personId, params: { ...value, ...fields } });
        return {};
      },
      stop: () => platform.stop!(),
    };
  },
};
