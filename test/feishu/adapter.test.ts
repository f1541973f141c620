import { readFileSync } from "node:fs";
import { AESCipher } from "@larksuiteoapi/node-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { signBody } from "../../adapters/feishu/emulator/push.ts";
import { loadFeishuManifest } from "../../adapters/feishu/manifest.ts";
import { feishuModule } from "../../adapters/feishu/module.ts";
import { SETUP_DOC, withSection } from "../../adapters/feishu/setup-doc.ts";
import { verifyPush } from "../../adapters/feishu/verify.ts";
import { answerOf, buttonValue, type Harness, startHarness } from "./harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const textOf = (content: string) => JSON.parse(content).text as string;

describe("Feishu adapter", () => {
  it("answers help, unknown text and strangers in words, never silence", async () => {
    h = await startHarness();
    const p2p = h.emu.p2pChat(h.ids.agent);
    const help = await h.emu.userSends({ chatId: p2p.chat_id, from: h.ids.agent, text: "帮助" });
    const other = await h.emu.userSends({ chatId: p2p.chat_id, from: h.ids.agent, text: "今天天气怎么样" });
    const strangerChat = h.emu.p2pChat(h.ids.other);
    const stranger = await h.emu.userSends({
      chatId: strangerChat.chat_id,
      from: h.ids.other,
      text: "/help",
    });
    await h.drain();
    const reply = (id: string) => h!.emu.botMessages().find((m) => m.parent_id === id)!;
    expect(textOf(reply(help.message.message_id).content)).toContain("新工单");
    expect(textOf(reply(other.message.message_id).content)).toContain("新工单");
    expect(textOf(reply(stranger.message.message_id).content)).toContain("not in the directory");
    // A group message that does not mention the bot never reaches the app.
    const quiet = await h.emu.userSends({ chatId: h.group, from: h.ids.agent, text: "新工单 闲聊" });
    expect(quiet.answer).toBeUndefined();
  });

  it("/ticket alone answers with the new-ticket form; submitting it creates the ticket once", async () => {
    h = await startHarness();
    const asked = await h.emu.userSends({
      chatId: h.group,
      from: h.ids.agent,
      text: "/ticket",
      mentionBot: true,
    });
    await h.drain();
    const form = h.emu.botMessages().find((m) => m.parent_id === asked.message.message_id)!;
    const submit = buttonValue(h.emu.cardOf(form.message_id), "create")!;
    const click = () =>
      h!.emu.clickCard({
        messageId: form.message_id,
        operator: h!.ids.agent,
        value: submit,
        formValue: {
          description: "客户反馈耳机破损，要求换货",
          customerName: "李女士",
          phone: "13912345678",
        },
      });
    const first = await click();
    expect(answerOf(first).toast.type).toBe("success");
    expect(JSON.stringify(h.emu.cardOf(form.message_id))).not.toContain("13912345678");
    await click();
    const list = await h.api("/api/v1/tickets");
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].customer.phone).toBe("139****5678");
  });

  it("a buzz the app may not make is reported once with its fix; the mention stands", async () => {
    h = await startHarness({
      scopes: [
        "im:message:send_as_bot",
        "contact:user.base:readonly",
        "contact:department.organize:readonly",
      ],
    });
    const sent = await h.emu.userSends({
      chatId: h.group,
      from: h.ids.agent,
      text: "新工单 手机死机",
      mentionBot: true,
    });
    await h.drain();
    const cardMessage = h.emu.botMessages().find((m) => m.parent_id === sent.message.message_id)!.message_id;
    await h.emu.clickCard({
      messageId: cardMessage,
      operator: h.ids.agent,
      value: buttonValue(h.emu.cardOf(cardMessage), "nudge")!,
    });
    await h.drain();
    const nudge = h.emu
      .botMessages()
      .filter((m) => m.parent_id === sent.message.message_id)
      .at(-1)!;
    expect(nudge.content).toContain(`<at id=${h.ids.engineer}></at>`);
    expect(h.emu.urgent).toHaveLength(0);
    const problems = h.logs.filter((l) => l.includes("Feishu configuration problem"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("scope");
    // closeloop doctor shows it too, with the fix in words.
    const checks = await feishuModule.doctor!({
      FEISHU_APP_ID: h.emu.appId,
      FEISHU_APP_SECRET: h.emu.appSecret,
      FEISHU_DOMAIN: h.emu.url,
      CLOSELOOP_DATA_DIR: h.dataDir,
    });
    const problem = checks.find((c) => c.name === "feishu 99991672")!;
    expect(problem.ok).toBe(false);
    expect(problem.detail).toContain("Permissions & Scopes");
  });

  it("sends the overdue alert to the head Feishu names for the department", async () => {
    h = await startHarness({ feishuHead: "other" });
    const sent = await h.emu.userSends({
      chatId: h.group,
      from: h.ids.agent,
      text: "新工单 手机死机",
      mentionBot: true,
    });
    await h.drain();
    expect(sent.answer?.status).toBe(200);
    const [ticket] = (await h.api("/api/v1/tickets")).body.items;
    const due = (await h.cl.service.get(ticket.number)).state.due.firstResponse!;
    h.clock.set(Date.parse(due) + 60_000);
    while ((await h.cl.scheduler.sweep()) > 0) {}
    await h.drain();
    const alerts = h.emu.messagesIn(h.emu.p2pChat(h.ids.other).chat_id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.content).toContain(ticket.number);
  });

  it("a click slower than the budget answers with a toast and updates the card afterwards", async () => {
    h = await startHarness();
    const sent = await h.emu.userSends({
      chatId: h.group,
      from: h.ids.agent,
      text: "新工单 手机死机",
      mentionBot: true,
    });
    await h.drain();
    const cardMessage = h.emu.botMessages().find((m) => m.parent_id === sent.message.message_id)!.message_id;
    h.platform.callbackBudgetMs = 0;
    const answer = await h.emu.clickCard({
      messageId: cardMessage,
      operator: h.ids.engineer,
      value: buttonValue(h.emu.cardOf(cardMessage), "start")!,
    });
    expect(answerOf(answer).toast.type).toBe("info");
    expect(answerOf(answer).card).toBeUndefined();
    for (let i = 0; i < 100 && !h.emu.requests.some((r) => r.path.endsWith("/card/update")); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(h.emu.requests.find((r) => r.path.endsWith("/card/update"))?.code).toBe(0);
    expect(h.emu.messages.get(cardMessage)!.updates).toBe(1);
  });
});

describe("Feishu wire checks", () => {
  it("decrypts the documented vector with the SDK's cipher", () => {
    expect(new AESCipher("test key").decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=")).toBe(
      "hello world",
    );
  });

  it("refuses unsigned and mis-addressed pushes", () => {
    const env = JSON.stringify({
      schema: "2.0",
      header: { event_id: "e", event_type: "x", token: "v", app_id: "other" },
      event: {},
    });
    const base = { verificationToken: "v", appId: "cli_me", now: Date.now() };
    expect(verifyPush(env, {}, base)).toMatchObject({
      kind: "refused",
      reason: expect.stringContaining("another app"),
    });
    expect(verifyPush(env, {}, { ...base, encryptKey: "k" })).toMatchObject({
      reason: "signature headers missing",
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const signed = {
      "x-lark-request-timestamp": ts,
      "x-lark-request-nonce": "n",
      "x-lark-signature": signBody(ts, "n", "k", env),
    };
    expect(verifyPush(env, signed, { ...base, encryptKey: "k" })).toMatchObject({
      reason: expect.stringContaining("not encrypted"),
    });
  });
});

describe("Feishu setup manifest", () => {
  it("the setup guide's tables are generated from the manifest and up to date; the README links the guide", () => {
    const m = loadFeishuManifest();
    const doc = readFileSync(SETUP_DOC, "utf8");
    // A formatter may pad the tables; the words must match the manifest exactly.
    const norm = (x: string) => x.replace(/ +/g, " ").replace(/-{3,}/g, "---");
    expect(norm(withSection(doc))).toBe(norm(doc));
    for (const s of [...m.scopes, ...m.optionalScopes]) expect(doc).toContain(`\`${s.scope}\``);
    for (const e of m.events) expect(doc).toContain(`\`${e.event}\``);
    for (const c of m.callbacks) expect(doc).toContain(`\`${c.callback}\``);
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toMatch(/## Feishu \/ Lark[\s\S]*docs\/setup\/feishu\.md/);
  });

  it("closeloop doctor checks the app against Feishu and names the manifest's scopes", async () => {
    h = await startHarness();
    const env = {
      FEISHU_APP_ID: h.emu.appId,
      FEISHU_APP_SECRET: h.emu.appSecret,
      FEISHU_DOMAIN: h.emu.url,
      FEISHU_VERIFICATION_TOKEN: "v",
      FEISHU_ENCRYPT_KEY: "k",
    };
    const checks = await feishuModule.doctor!(env);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks.find((c) => c.name === "feishu scopes")!.detail).toContain("im:message.urgent");
    const wrong = await feishuModule.doctor!({ ...env, FEISHU_APP_SECRET: "nope" });
    expect(wrong.find((c) => c.name === "feishu app")!.ok).toBe(false);
  });
});

describe("Feishu card updates", () => {
  it("coalesces a burst of changes into few PATCHes, never over the per-message limit", async () => {
    h = await startHarness();
    h.emu.duplicates = 2;
    const sent = await h.emu.userSends({
      chatId: h.group,
      from: h.ids.agent,
      text: "新工单 手机死机",
      mentionBot: true,
    });
    await h.drain();
    expect((await h.api("/api/v1/tickets")).body.items).toHaveLength(1);
    const cardMessage = h.emu.botMessages().find((m) => m.parent_id === sent.message.message_id)!.message_id;
    const [ticket] = (await h.api("/api/v1/tickets")).body.items;
    const steps: [string, string, object][] = [["start", "eng-liu", {}]];
    for (let i = 0; i < 4; i++)
      steps.push(
        ["resolve", "eng-liu", { solution: `方案 ${i}` }],
        ["reopen", "agent-li", { reason: `客户不满意 ${i}` }],
      );
    for (const [command, actor, body] of steps) {
      const version = (await h.cl.service.get(ticket.number)).state.version;
      await h.cl.service.execute(ticket.number, command, { version, ...body }, { actor, via: "api" });
    }
    await h.drain();
    const patches = h.emu.requests.filter((r) => r.method === "PATCH" && r.path.endsWith(cardMessage));
    expect(patches.length).toBeGreaterThan(0);
    expect(patches.length).toBeLessThanOrEqual(5);
    expect(patches.every((p) => p.code === 0)).toBe(true);
    expect(JSON.stringify(h.emu.cardOf(cardMessage))).toContain(ticket.number);
  });
});

describe("Feishu chat commands", () => {
  it("/mine lists the sender's open tickets and /board links the board for their department", async () => {
    h = await startHarness();
    await h.emu.userSends({ chatId: h.group, from: h.ids.agent, text: "新工单 手机死机", mentionBot: true });
    await h.drain();
    const [ticket] = (await h.api("/api/v1/tickets")).body.items;
    const p2p = h.emu.p2pChat(h.ids.engineer);
    const mine = await h.emu.userSends({ chatId: p2p.chat_id, from: h.ids.engineer, text: "我的工单" });
    const board = await h.emu.userSends({ chatId: p2p.chat_id, from: h.ids.engineer, text: "/board" });
    await h.drain();
    const reply = (id: string) => textOf(h!.emu.botMessages().find((m) => m.parent_id === id)!.content);
    expect(reply(mine.message.message_id)).toContain(ticket.number);
    expect(reply(board.message.message_id)).toContain("/board?department=tech");
  });
});
