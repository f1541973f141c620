import { randomBytes } from "node:crypto";
import { feishuPreview } from "../../cards/preview/feishu-preview.ts";
import type { FeishuCard } from "../../cards/render/feishu.ts";
import type { ChatPlatform } from "../../core/chat/platform.ts";
import type { Text } from "../../core/i18n/locale.ts";
import type { NotificationSink } from "../../core/ports.ts";
import { readFeishuSettings } from "../feishu/config.ts";
import { FeishuEmulator } from "../feishu/emulator/index.ts";
import type { EmuMessage } from "../feishu/emulator/world.ts";
import { createFeishu } from "../feishu/module.ts";
import type { PlatformContext } from "../platform-module.ts";
import { deliverLater } from "./deliver-later.ts";
import { feishuControls } from "./feishu-controls.ts";
import type { PlaygroundMessage, PlaygroundPlugin, PlaygroundSession } from "./types.ts";

const toText = (t: { zh_cn?: string; en_us?: string; content?: string } | undefined): Text | undefined =>
  t ? { "zh-CN": t.zh_cn ?? t.content ?? "", en: t.en_us ?? t.content ?? "" } : undefined;

/**
 * Feishu in the playground: the local Feishu in-process, every directory person a Feishu user (user_id =
 * directory id), one support group, and the real adapter talking to it through the SDK.
 */
export const feishuPlayground: PlaygroundPlugin = {
  id: "feishu",
  title: { "zh-CN": "飞书", en: "Feishu / Lark" },
  async start(ctx: PlatformContext, tee?: NotificationSink): Promise<PlaygroundSession> {
    const secret = randomBytes(16).toString("hex");
    const emu = new FeishuEmulator({ encryptKey: secret, verificationToken: `vt-${secret}` });
    await emu.start();
    const people = ctx.directory.people().filter((p) => p.id !== "api");
    const openIds = new Map<string, string>();
    for (const p of people) openIds.set(p.id, emu.addUser({ name: p.name, user_id: p.id }).open_id);
    const byOpenId = new Map([...openIds].map(([id, open]) => [open, id]));
    emu.addGroup("售后支持群 Support", [...openIds.values()]);
    const env = {
      FEISHU_APP_ID: emu.appId,
      FEISHU_APP_SECRET: emu.appSecret,
      FEISHU_VERIFICATION_TOKEN: emu.verificationToken,
      FEISHU_ENCRYPT_KEY: secret,
      FEISHU_DOMAIN: emu.url,
      FEISHU_MATCH_USER_ID: "1",
    };
    // No problems file: the playground's Feishu is local and never misconfigured by an operator.
    const inner = await createFeishu({ ...ctx, env }, readFeishuSettings(env));
    // The signed, encrypted request goes to the app's own webhook route, in-process.
    emu.transport = (req) =>
      Promise.resolve(
        ctx.app.request("/feishu/events", { method: "POST", headers: req.headers, body: req.body }),
      );

    const { later, stop: stopLater } = deliverLater(1000);
    const platform: ChatPlatform = {
      id: inner.id,
      capabilities: inner.capabilities,
      reaches: (p) => inner.reaches(p),
      async deliver(person, items) {
        await tee?.deliver(person.id, items);
        // The outbox moves on at once (the sandbox inbox lists everything together, as without the
        // playground); the local Feishu gets the same items right after, retried here when throttled.
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

    const names = (openId: string) =>
      emu.users.get(openId)?.name ?? (openId === emu.botOpenId ? emu.botName : undefined);
    const view = (m: EmuMessage): PlaygroundMessage => {
      const base = {
        id: m.message_id,
        from: m.sender === "bot" ? "bot" : (byOpenId.get(m.sender) ?? m.sender),
        fromName: m.sender === "bot" ? emu.botName : (names(m.sender) ?? m.sender),
        bot: m.sender === "bot",
        at: m.create_time,
        ...(m.parent_id ? { replyTo: m.parent_id } : {}),
      };
      if (m.msg_type === "interactive") {
        const card = JSON.parse(m.content) as FeishuCard;
        return { ...base, html: feishuPreview(card, names), ...feishuControls(card) };
      }
      let text = (JSON.parse(m.content) as { text?: string }).text ?? "";
      for (const mention of m.mentions ?? []) text = text.split(mention.key).join(`@${mention.name}`);
      return { ...base, text };
    };

    return {
      platform,
      people: () => people.map((p) => ({ id: p.id, name: p.name })),
      chats(personId) {
        const openId = openIds.get(personId);
        if (!openId) return [];
        const direct = emu.p2pChat(openId);
        return [
          ...[...emu.chats.values()]
            .filter((c) => c.type === "group" && c.members.has(openId))
            .map((c) => ({ id: c.chat_id, name: c.name, kind: "group" as const })),
          { id: direct.chat_id, name: `${emu.botName}（单聊 direct）`, kind: "direct" as const },
        ];
      },
      messages: (chatId) => emu.messagesIn(chatId).map(view),
      async send(chatId, personId, text) {
        const chat = emu.chats.get(chatId);
        const from = openIds.get(personId);
        if (!chat || !from) throw new Error("unknown chat or person");
        const mentionBot = chat.type === "group" && /^@?closeloop\b|^@bot\b/i.test(text.trim());
        const body = mentionBot ? text.trim().replace(/^@?(closeloop|bot)\b\s*/i, "") : text;
        await emu.userSends({ chatId, from, text: body, mentionBot });
      },
      async click(messageId, personId, value, fields) {
        const operator = openIds.get(personId);
        if (!operator) throw new Error("unknown person");
        const answer = await emu.clickCard({
          messageId,
          operator,
          value,
          ...(fields ? { formValue: fields } : {}),
        });
        return {
          toast: toText(
            (answer.body as { toast?: { i18n?: { zh_cn?: string; en_us?: string } } })?.toast?.i18n,
          ),
        };
      },
      stop: () => platform.stop!(),
    };
  },
};
