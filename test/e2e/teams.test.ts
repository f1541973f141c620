import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardOf, textOf, verbsOf } from "../teams/cards.ts";
import { AAD, startTeamsWorld, type TeamsWorld } from "../teams/support.ts";

let w: TeamsWorld;
beforeAll(async () => {
  w = await startTeamsWorld();
});
afterAll(async () => {
  await w?.stop();
});

const DAY = 86_400_000;
const personalOf = (aad: string) => `a:1${aad.replace(/-/g, "")}`;

async function createInChannel(text: string) {
  const channel = w.emulator.channel();
  const msg = w.emulator.channelMessage(w.users.agent, channel, text);
  expect((await w.emulator.send(msg)).status).toBe(202);
  await w.drain();
  const conversation = msg.conversation.id;
  const [card] = w.emulator.connector.botActivities(conversation);
  const record = (await w.cl.store.list({ limit: 100 })).items.find(
    (r) => r.state.origin.messageId === msg.id,
  );
  if (!record || !card) throw new Error("no ticket or card for the message");
  return { channel, msg, conversation, card, number: record.state.number };
}

const ticket = (n: string) => w.cl.service.get(n);

describe("Teams end to end (server + local Teams)", () => {
  it("greets once when installed in a team", async () => {
    const conv = w.emulator.channel().id;
    for (let i = 0; i < 2; i++)
      expect((await w.emulator.send(w.emulator.installed(w.users.agent, conv, "channel"))).status).toBe(202);
    await w.drain();
    const posted = w.emulator.connector.botActivities(conv);
    expect(posted).toHaveLength(1);
    expect(String(posted[0]!.activity.text)).toContain("新工单");
  });

  it("runs the story: @mention creates, Start and Resolve through Action.Execute, nudge with a mention", async () => {
    const { msg, conversation, card, number } = await createInChannel(
      "/ticket 客户 13800138000 X200 设备无法开机，故障",
    );
    // The card is posted in the message's thread, the phone is masked, the owner is mentioned.
    expect(card.activity.replyToId).toBe(msg.id);
    const posted = textOf(cardOf(card));
    expect(posted).toContain(number);
    expect(posted).not.toContain("13800138000");
    expect(cardOf(card).msteams.entities[0].mentioned.id).toBe(AAD.engineer);
    const created = await ticket(number);
    expect(created.state.origin).toMatchObject({
      platform: "teams",
      chatId: conversation,
      messageId: msg.id,
    });
    expect(created.state.owner).toBe("eng-liu");
    expect(created.state.placements).toEqual([
      {
        platform: "teams",
        chatId: conversation,
        messageId: card.id,
        extra: { serviceUrl: w.emulator.serviceUrl },
      },
    ]);
    // The owner was told in a 1:1 chat the bot opened (tenant, bot id, member id).
    expect(textOf(cardOf(w.emulator.connector.botActivities(personalOf(AAD.engineer)).at(-1)))).toContain(
      number,
    );

    // The redelivered message makes nothing new.
    expect((await w.emulator.send(msg)).status).toBe(202);
    await w.drain();
    expect(w.emulator.connector.botActivities(conversation)).toHaveLength(1);

    // Start: the same invoke delivered three times applies once; every answer is the clicker's card, in time.
    const start = w.emulator.execute(w.users.engineer, conversation, card.id, "start", {
      action: "start",
      ticket: number,
      version: created.state.version,
    });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await w.emulator.invoke(start));
    for (const a of answers) {
      expect(a.problems).toEqual([]);
      expect(a.body.type).toBe("application/vnd.microsoft.card.adaptive");
      expect(textOf(a.body.value)).toContain("处理中");
      expect(verbsOf(a.body.value)).toContain("resolve");
    }
    const started = await ticket(number);
    expect(started.state.status).toBe("in_progress");
    expect(started.events.filter((e) => e.type === "started")).toHaveLength(1);
    // Everyone else sees the new status: the shared message is replaced by PUT.
    await w.drain();
    const shared = w.emulator.connector.botActivities(conversation)[0]!;
    expect(shared.updates).toBeGreaterThanOrEqual(1);
    expect(textOf(cardOf(shared))).toContain("处理中");

    // The agent nudges the owner from the card: the owner is @mentioned in the ticket's thread.
    const nudge = await w.emulator.invoke(
      w.emulator.execute(w.users.agent, conversation, card.id, "nudge", {
        action: "nudge",
        ticket: number,
        version: started.state.version,
      }),
    );
    expect(nudge.problems).toEqual([]);
    await w.drain();
    const mention = w.emulator.connector
      .botActivities(conversation)
      .find((a) => Array.isArray(a.activity.entities));
    expect(mention).toBeDefined();
    expect(String(mention!.activity.text)).toContain("<at>刘洋</at>");
    expect(mention!.activity.entities).toContainEqual({
      type: "mention",
      text: "<at>刘洋</at>",
      mentioned: { id: w.users.engineer.id, name: "刘洋" },
    });

    // Resolve with the form's input merged into data.
    const before = await ticket(number);
    const resolve = await w.emulator.invoke(
      w.emulator.execute(w.users.engineer, conversation, card.id, "resolve", {
        action: "resolve",
        ticket: number,
        version: before.state.version,
        solution: "更换电源适配器后正常开机",
      }),
    );
    expect(resolve.problems).toEqual([]);
    expect(textOf(resolve.body.value)).toContain("已解决");
    expect((await ticket(number)).state.status).toBe("resolved");
    await w.drain();
    expect(textOf(cardOf(w.emulator.connector.botActivities(conversation)[0]))).toContain("已解决");
  });

  it("answers a stale click with the card as it is now, and a forbidden one with a message", async () => {
    const { conversation, card, number } = await createInChannel("/ticket 屏幕故障 闪屏");
    const shown = (await ticket(number)).state.version;
    await w.cl.service.execute(number, "start", { version: shown }, { actor: "eng-liu", via: "api" });
    const stale = await w.emulator.invoke(
      w.emulator.execute(w.users.engineer, conversation, card.id, "start", {
        action: "start",
        ticket: number,
        version: shown,
      }),
    );
    expect(stale.problems).toEqual([]);
    expect(stale.body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(textOf(stale.body.value)).toContain("处理中");
    const current = (await ticket(number)).state.version;
    const forbidden = await w.emulator.invoke(
      w.emulator.execute(w.users.agent, conversation, card.id, "resolve", {
        action: "resolve",
        ticket: number,
        version: current,
        solution: "not mine to resolve",
      }),
    );
    expect(forbidden.problems).toEqual([]);
    expect(forbidden.body.type).toBe("application/vnd.microsoft.activity.message");
    expect((await ticket(number)).state.status).toBe("in_progress");
  });

  it("takes an Action.Submit click from an old client", async () => {
    const { channel, conversation, card, number } = await createInChannel("/ticket 设备故障 无法联网");
    const version = (await ticket(number)).state.version;
    const submit = {
      ...w.emulator.channelMessage(w.users.engineer, channel, ""),
      conversation: { id: conversation, conversationType: "channel", tenantId: w.emulator.tenantId },
      text: "",
      entities: [],
      replyToId: card.id,
      value: { action: "start", ticket: number, version },
    };
    expect((await w.emulator.send(submit)).status).toBe(202);
    await w.drain();
    expect((await ticket(number)).state.status).toBe("in_progress");
    expect(textOf(cardOf(w.emulator.connector.botActivities(conversation)[0]))).toContain("处理中");
  });

  it("alerts the department head in a 1:1 chat when a ticket is overdue", async () => {
    const { number } = await createInChannel("/ticket 设备故障 无法开机 overdue");
    w.clock.advance(3 * DAY);
    await w.cl.scheduler.sweep();
    await w.drain();
    w.clock.advance(5 * 60_000); // past the digest window, so held alerts go out too
    await w.drain();
    const head = w.emulator.connector.botActivities(personalOf(AAD.head));
    expect(head.length).toBeGreaterThanOrEqual(1);
    expect(head.map((a) => textOf(cardOf(a))).join("\n")).toContain(number);
    expect(w.emulator.connector.conversations.get(personalOf(AAD.head))?.type).toBe("personal");
  });

  it("refuses every bad token on the reference's list and processes none of them", async () => {
    const channel = w.emulator.channel();
    const tickets = (await w.cl.store.list({ limit: 1000 })).items.length;
    const bad = await w.emulator.badTokens();
    expect(bad.length).toBeGreaterThanOrEqual(10);
    const conversations: string[] = [];
    for (const t of bad) {
      const msg = w.emulator.channelMessage(w.users.agent, channel, `/ticket bad token ${t.name}`);
      conversations.push(msg.conversation.id);
      const res = await w.emulator.send(msg, t.authorization ?? null);
      expect({ name: t.name, status: res.status }).toEqual({ name: t.name, status: t.expect });
      const invoke = await w.emulator.send(
        {
          ...w.emulator.execute(w.users.engineer, msg.conversation.id, msg.id, "start", {
            action: "start",
            ticket: "CS1",
            version: 1,
          }),
        },
        t.authorization ?? null,
      );
      expect({ name: t.name, status: invoke.status }).toEqual({ name: t.name, status: t.expect });
    }
    await w.drain();
    expect((await w.cl.store.list({ limit: 1000 })).items.length).toBe(tickets);
    for (const c of conversations) expect(w.emulator.connector.botActivities(c)).toEqual([]);
  });

  it("survives throttling and scripted 429/412/502/504 with nothing lost or doubled", async () => {
    const faults = [
      { status: 429, retryAfterS: 0, remaining: 2 },
      { status: 502, remaining: 1 },
      { status: 412, remaining: 1 },
      { status: 504, remaining: 2 },
    ];
    w.emulator.connector.faults.push(...faults);
    const conv = personalOf(AAD.agent);
    const sent = [];
    for (let i = 0; i < 12; i++) {
      const msg = w.emulator.personalMessage(w.users.agent, `/ticket 打印机卡纸 第${i + 1}台 故障`);
      sent.push(msg);
      expect((await w.emulator.send(msg)).status).toBe(202);
    }
    for (let round = 0; round < 10; round++) {
      await w.drain();
      w.clock.advance(15 * 60_000);
    }
    await w.drain();
    const ids = new Set(sent.map((m) => m.id));
    const cards = w.emulator.connector
      .botActivities(conv)
      .filter((a) => Array.isArray(a.activity.attachments) && ids.has(String(a.activity.replyToId)));
    const numbers = cards.map((a) => /CS\d+/.exec(textOf(cardOf(a)))?.[0]);
    expect(new Set(numbers).size).toBe(12);
    expect(numbers).toHaveLength(12);
    expect(faults.every((f) => f.remaining === 0)).toBe(true);
    const throttled = w.emulator.connector.calls.filter((c) => c.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(2);
  });

  it("records a person who blocked the bot and does not retry", async () => {
    const { number } = await createInChannel("/ticket 设备故障 指派给已屏蔽的人");
    const t = await ticket(number);
    await w.cl.service.execute(
      number,
      "assign",
      { owner: "eng-blocked", version: t.state.version },
      { actor: "head-tech", via: "api" },
    );
    await w.drain();
    const refused = w.emulator.connector.calls.filter((c) => c.status === 403);
    expect(refused.length).toBe(1);
    const row = (await w.cl.store.dueOutbox("9999-01-01T00:00:00.000Z", 1000)).find(
      (r) => r.recipient === "eng-blocked",
    );
    expect(row?.lastError).toContain("MessageWritesBlocked");
    expect(w.logs.join("")).toContain("blocked or removed the app");
    // Later attempts (the outbox keeps permanent failures for a person to see) do not call Teams again.
    w.clock.advance(15 * 60_000);
    await w.drain();
    expect(w.emulator.connector.calls.filter((c) => c.status === 403)).toHaveLength(1);
  });

  it("remembers handled activities and invokes across a restart", async () => {
    const { msg, conversation, card, number } = await createInChannel("/ticket 设备故障 重启前");
    const version = (await ticket(number)).state.version;
    const start = w.emulator.execute(w.users.engineer, conversation, card.id, "start", {
      action: "start",
      ticket: number,
      version,
    });
    expect((await w.emulator.invoke(start)).problems).toEqual([]);
    await w.restart();
    expect((await w.emulator.send(msg)).status).toBe(202);
    const again = await w.emulator.invoke(start);
    expect(again.problems).toEqual([]);
    expect(again.body.type).toBe("application/vnd.microsoft.card.adaptive");
    await w.drain();
    expect(w.emulator.connector.botActivities(conversation)).toHaveLength(1);
    const after = await ticket(number);
    expect(after.events.filter((e) => e.type === "started")).toHaveLength(1);
  });

  it("signs a person in to the board tab with the Teams SSO token, and serves the channel tab's settings page", async () => {
    const post = (code: string) =>
      fetch(`${w.url}/board/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider: "teams", code, framed: true }),
      });
    const ok = await post(await w.emulator.ssoToken({ oid: AAD.head }));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { person: string }).person).toBe("head-tech");
    expect(ok.headers.get("set-cookie")).toContain("closeloop_board=");
    expect((await post(await w.emulator.ssoToken({ oid: AAD.head, aud: "someone-else" }))).status).toBe(401);
    expect((await post(await w.emulator.ssoToken({ oid: AAD.stranger }))).status).toBe(401);

    const page = await fetch(`${w.url}/teams/tab/configure`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('value="tech"');
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors");
    expect((await fetch(`${w.url}/teams/tab/teams.min.js`)).status).toBe(200);
  });

  it("keeps apart two messages that share an id in different channels (ids are per conversation)", async () => {
    const one = w.emulator.channelMessage(w.users.agent, w.emulator.channel(), "/ticket 设备故障 同号消息一");
    const other = w.emulator.channelMessage(
      w.users.agent,
      w.emulator.channel(),
      "/ticket 设备故障 同号消息二",
    );
    const twin = { ...other, id: one.id };
    w.emulator.connector.conversations.get(other.conversation.id)!.activities.set(one.id, {
      id: one.id,
      activity: twin,
      by: "user",
      updates: 0,
    });
    expect((await w.emulator.send(one)).status).toBe(202);
    expect((await w.emulator.send(twin)).status).toBe(202);
    await w.drain();
    expect(w.emulator.connector.botActivities(one.conversation.id)).toHaveLength(1);
    expect(w.emulator.connector.botActivities(other.conversation.id)).toHaveLength(1);
    const numberIn = (c: string) =>
      /CS\d+/.exec(textOf(cardOf(w.emulator.connector.botActivities(c)[0])))?.[0];
    expect(numberIn(one.conversation.id)).not.toBe(numberIn(other.conversation.id));
  });

  it("tells a person outside the directory how to get in", async () => {
    const msg = w.emulator.personalMessage(w.users.stranger, "/ticket hello");
    expect((await w.emulator.send(msg)).status).toBe(202);
    await w.drain();
    const [reply] = w.emulator.connector.botActivities(msg.conversation.id);
    expect(String(reply?.activity.text)).toContain("aadObjectId");
  });
});
