import { createHash } from "node:crypto";
import type { ChatPlatform } from "../../core/chat/platform.ts";
import { Directory } from "../../core/directory/directory.ts";
import type { NotificationSink } from "../../core/ports.ts";
import type { PlatformContext } from "../platform-module.ts";
import { deliverLater } from "../playground/deliver-later.ts";
import type { PlaygroundMessage, PlaygroundPlugin, PlaygroundSession } from "../playground/types.ts";
import { readTeamsConfig } from "./config.ts";
import { type EmulatedUser, type StoredActivity, TeamsEmulator } from "./emulator/index.ts";
import { TeamsPlatform } from "./platform.ts";
import { teamsCardHtml } from "./playground-preview.ts";

/** A stable Entra-style object id for a demo person (the playground gives everyone a Teams identity). */
const aadOf = (personId: string): string => {
  const h = createHash("sha256").update(`closeloop-playground:${personId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const plain = (text: string) =>
  text
    .replace(/<at>(.*?)<\/at>/g, "@$1")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();

/**
 * Teams in the playground: the local Teams (token issuer + Bot Connector) with every directory person as a
 * Teams user, one support channel, and the real adapter. Activities are signed by the local issuer and
 * handed to the app's own POST /teams/messages in-process; the adapter calls the local connector over HTTP.
 */
export const teamsPlayground: PlaygroundPlugin = {
  id: "teams",
  title: { "zh-CN": "Microsoft Teams", en: "Microsoft Teams" },
  async start(ctx: PlatformContext, tee?: NotificationSink): Promise<PlaygroundSession> {
    const emu = await new TeamsEmulator({ clock: ctx.clock }).start();
    const people = ctx.directory.people().filter((p) => p.id !== "api");
    const directory = new Directory({
      people: people.map((p) => ({ ...p, teams: { aadObjectId: p.teams?.aadObjectId ?? aadOf(p.id) } })),
      departments: ctx.directory.departments(),
    });
    const users = new Map<string, EmulatedUser>();
    for (const p of directory.people())
      users.set(p.id, emu.addUser({ aadObjectId: p.teams!.aadObjectId, name: p.name }));
    const channel = emu.channel("售后支持 Support");
    const env = emu.env(ctx.publicUrl);
    emu.transport = (request) => Promise.resolve(ctx.app.request("/teams/messages", request));
    const inner = new TeamsPlatform({ ...ctx, directory, env }, readTeamsConfig(env));

    const { later, stop: stopLater } = deliverLater(0);
    const platform: ChatPlatform = {
      id: inner.id,
      capabilities: inner.capabilities,
      reaches: (p) => directory.person(p.id) !== undefined,
      async deliver(person, items) {
        await tee?.deliver(person.id, items);
        // As in the Feishu playground: the sandbox inbox lists it now, the local Teams gets it right after.
        const teamsPerson = directory.person(person.id) ?? person;
        later(() => inner.deliver(teamsPerson, items));
        return { ok: true };
      },
      updatePlacement: (placement, items) => inner.updatePlacement(placement, items),
      handleInbound: (item) => inner.handleInbound(item),
      stop: async () => {
        stopLater();
        await emu.stop();
      },
    };

    const view = (a: StoredActivity): PlaygroundMessage => {
      const act = a.activity as {
        from?: { id?: string; name?: string; aadObjectId?: string };
        text?: string;
        replyToId?: string;
        attachments?: { content?: Record<string, unknown> }[];
      };
      const bot = a.by === "bot";
      const person = bot ? undefined : directory.findByIdentity("teams", act.from?.aadObjectId ?? "");
      const base = {
        id: a.id,
        from: bot ? "bot" : (person?.id ?? act.from?.id ?? "?"),
        fromName: bot ? "closeloop" : (act.from?.name ?? "?"),
        bot,
        at: a.at ?? 0,
        ...(act.replyToId ? { replyTo: act.replyToId } : {}),
      };
      const card = act.attachments?.[0]?.content;
      if (card) {
        const drawn = teamsCardHtml(card);
        const lead = act.text
          ? `<div class="md">${plain(act.text).replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"))}</div>`
          : "";
        return { ...base, ...drawn, html: lead + drawn.html };
      }
      return { ...base, text: plain(act.text ?? "") };
    };
    const conversationOf = (chatId: string) =>
      [...emu.connector.conversations.values()].filter((c) =>
        chatId === channel.id ? c.id.startsWith(`${channel.id};`) : c.id === chatId,
      );
    const personal = (personId: string) => `a:1${users.get(personId)!.aadObjectId.replace(/-/g, "")}`;

    return {
      platform,
      people: () => people.map((p) => ({ id: p.id, name: p.name })),
      chats: (personId) =>
        users.has(personId)
          ? [
              { id: channel.id, name: channel.name, kind: "group" as const },
              { id: personal(personId), name: "closeloop（单聊 chat）", kind: "direct" as const },
            ]
          : [],
      messages: (chatId) =>
        conversationOf(chatId)
          .flatMap((c) => [...c.activities.values()])
          .sort((x, y) => (x.at ?? 0) - (y.at ?? 0))
          .map(view),
      async send(chatId, personId, text) {
        const user = users.get(personId);
        if (!user) throw new Error("unknown person");
        const activity =
          chatId === channel.id
            ? emu.channelMessage(user, channel, text.trim().replace(/^@?closeloop\b\s*/i, ""))
            : emu.personalMessage(user, text);
        await emu.send(activity);
      },
      async click(messageId, personId, value, fields) {
        const user = users.get(personId);
        const conv = [...emu.connector.conversations.values()].find((c) => c.activities.has(messageId));
        if (!user || !conv) throw new Error("unknown person or message");
        const verb = String(value.action ?? "");
        const answer = await emu.invoke(emu.execute(user, conv.id, messageId, verb, { ...value, ...fields }));
        if (answer.body?.type === "application/vnd.microsoft.activity.message") {
          const text = String(answer.body.value);
          return { toast: { "zh-CN": text, en: text } };
        }
        return {};
      },
      stop: () => platform.stop!(),
    };
  },
};
