import { afterEach, describe, expect, it } from "vitest";
import { validateDingTalkCardData } from "../../cards/validate/dingtalk.ts";
import { GROUP, type Harness, startHarness, waitFor } from "../dingtalk/support/harness.ts";

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function boot(o: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(o);
  open.push(h);
  await h.platform.start();
  await waitFor("a stream connection", () => h.emu.gateway.liveConnections === 1);
  return h;
}

/** An @mention in the group, acknowledged, then processed through the inbox. */
async function say(h: Harness, userId: string, text: string, msgId?: string) {
  const sent = h.emu.robotMessage({ conversationId: GROUP, senderUserId: userId, text, msgId });
  await waitFor("the ack", () => sent.frame.acked);
  await h.drain();
  return sent;
}

const groupCards = (h: Harness) =>
  [...h.emu.cards.values()].filter((c) => c.spaces.includes(`IM_GROUP.${GROUP}`));

async function createTicket(h: Harness) {
  await say(h, "u_li", "新工单 客户张先生 13800138000，X200 无法开机");
  const page = await h.cl.store.list({ limit: 10 });
  expect(page.items).toHaveLength(1);
  const ticket = page.items[0]!.state;
  const card = groupCards(h).find((c) => c.cardParamMap.ticket === ticket.number)!;
  expect(card).toBeDefined();
  return { number: ticket.number, card };
}

describe("DingTalk end to end (server + local DingTalk over dingtalk-stream)", () => {
  it("runs the loop: @mention → ticket card → Start and Resolve by card clicks → nudge with @ and DING", async () => {
    const h = await boot({ env: { DINGTALK_DING: "app" }, config: { nudge: { urgent: true } } });

    // Create from an @mention in a group; the card goes into the group and is recorded for updates.
    const { number, card } = await createTicket(h);
    let t = (await h.cl.service.get(number)).state;
    expect(t.origin).toMatchObject({ platform: "dingtalk", chatId: GROUP });
    expect(t.owner).toBe("eng-liu");
    expect(t.placements.map((p) => p.messageId)).toContain(card.outTrackId);
    expect(card.callbackType).toBe("STREAM");
    expect(card.cardParamMap.content_1).not.toContain("13800138000");
    expect(
      validateDingTalkCardData({
        cardData: { cardParamMap: card.cardParamMap },
        cardAtUserIds: Object.keys(card.atUserIds),
      }).errors,
    ).toEqual([]);
    expect(card.silentMentions).toEqual([]);
    // The owner got the ticket in their 1:1 chat with the robot.
    expect(
      [...h.emu.cards.values()].some(
        (c) => c.spaces.includes("IM_ROBOT.u_liu") && c.cardParamMap.ticket === number,
      ),
    ).toBe(true);

    // Someone outside the directory presses Start: refused on the card, only for them, with the reason.
    const stranger = await h.emu.clickCard({
      outTrackId: card.outTrackId,
      userId: "u_stranger",
      params: { action: "start", ticket: number, version: t.version },
    });
    expect(stranger.answered).toBe(true);
    expect(h.emu.cardAsSeenBy(card.outTrackId, "u_stranger")!.content_1).toContain("通讯录");
    expect(h.emu.cardAsSeenBy(card.outTrackId, "u_liu")!.content_1).not.toContain("通讯录");
    expect((await h.cl.service.get(number)).state.status).toBe("pending");

    // The owner presses Start: the command runs as them and the answer is the updated card.
    const started = await h.emu.clickCard({
      outTrackId: card.outTrackId,
      userId: "u_liu",
      params: { action: "start", ticket: number, version: t.version },
    });
    expect(started.answered).toBe(true);
    t = (await h.cl.service.get(number)).state;
    expect(t.status).toBe("in_progress");
    expect(h.emu.cards.get(card.outTrackId)!.cardParamMap.tags).toContain("处理中");
    expect(h.emu.cards.get(card.outTrackId)!.cardParamMap.version).toBe(String(t.version));

    // The agent nudges from the card: the owner is @-mentioned in the group (text + atUserIds) and DING'd.
    await h.emu.clickCard({
      outTrackId: card.outTrackId,
      userId: "u_li",
      params: { action: "nudge", ticket: number, version: t.version },
    });
    await h.drain();
    const nudge = h.emu.messages.find((m) => m.via === "session" && m.mentioned.includes("u_liu"));
    expect(nudge).toBeDefined();
    expect(nudge!.halfMentions).toEqual([]);
    expect(h.emu.dings).toEqual([expect.objectContaining({ remindType: 1, receivers: ["u_liu"] })]);
    // A second tap inside the nudge window is refused, on the card, for the clicker only, saying why.
    const again = await h.emu.clickCard({
      outTrackId: card.outTrackId,
      userId: "u_li",
      params: { action: "nudge", ticket: number, version: t.version },
    });
    expect(again.answered).toBe(true);
    expect(h.emu.cardAsSeenBy(card.outTrackId, "u_li")!.content_1).toContain("⚠️");
    expect(h.emu.cardAsSeenBy(card.outTrackId, "u_liu")!.content_1).not.toContain("⚠️");
    await h.drain();
    expect(h.emu.dings).toHaveLength(1);

    // Resolve: the button opens the form for the clicker only; submitting it resolves the ticket.
    t = (await h.cl.service.get(number)).state;
    await h.emu.clickCard({
      outTrackId: card.outTrackId,
      userId: "u_liu",
      params: { action: "resolve", ticket: number, version: t.version, form: "open" },
    });
    expect(h.emu.cardAsSeenBy(card.outTrackId, "u_liu")!.form).toContain("resolve");
    expect(h.emu.cardAsSeenBy(card.outTrackId, "u_li")!.form).toBe("");
    const resolved = await h.emu.clickCard({
      outTrackId: card.outTrackId,
      userId: "u_liu",
      params: {
        action: "resolve",
        ticket: number,
        version: String(t.version),
        solution: "更换电源适配器后正常开机",
      },
    });
    expect(resolved.answered).toBe(true);
    t = (await h.cl.service.get(number)).state;
    expect(t.status).toBe("resolved");
    expect(h.emu.cards.get(card.outTrackId)!.cardParamMap.tags).toContain("已解决");
    // Every other copy of the card (the owner's 1:1) is updated in place through the outbox.
    await h.drain();
    const copy = [...h.emu.cards.values()].find(
      (c) => c.spaces.includes("IM_ROBOT.u_liu") && c.cardParamMap.ticket === number,
    )!;
    expect(copy.cardParamMap.tags).toContain("已解决");
    expect(h.emu.gateway.badAcks).toEqual([]);
  });

  it("alerts the department head 1:1 with the alert card when a ticket is overdue (heads from DingTalk's org, cached)", async () => {
    const h = await boot();
    const { number } = await createTicket(h);
    await h.drain();
    const due = (await h.cl.service.get(number)).state.due.firstResponse!;
    h.clock.set(Date.parse(due) + 60_000);
    expect(await h.cl.scheduler.sweep()).toBeGreaterThan(0);
    await h.drain();
    const alert = [...h.emu.cards.values()].find((c) => c.spaces.includes("IM_ROBOT.u_zhang"));
    expect(alert).toBeDefined();
    expect(alert!.cardParamMap.title).toMatch(/超时|逾期/);
    // u_liu's department (11) has no manager: the org lookup climbed to 10, whose manager is u_zhang.
    expect(h.emu.calls["POST /topapi/v2/department/get"]).toBe(2);
  });

  it("falls back to the @ mention and records it when DING is refused (edition), and mentions by card once the session webhook expired", async () => {
    const h = await boot({
      env: { DINGTALK_DING: "sms" },
      config: { nudge: { urgent: true } },
      emulator: { dingEdition: false },
    });
    const { number, card } = await createTicket(h);
    h.clock.advance(91 * 60_000); // the message's session webhook has expired
    const t = (await h.cl.service.get(number)).state;
    await h.emu.clickCard({
      outTrackId: card.outTrackId,
      userId: "u_li",
      params: { action: "nudge", ticket: number, version: t.version },
    });
    await h.drain();
    expect(h.emu.dings).toEqual([]);
    expect(h.platform.dingFallbacks).toEqual([expect.objectContaining({ ticket: number, userId: "u_liu" })]);
    const nudgeCard = groupCards(h).find((c) => c.outTrackId !== card.outTrackId)!;
    expect(nudgeCard.atUserIds).toEqual({ u_liu: "刘洋" });
    expect(nudgeCard.silentMentions).toEqual([]);
    expect(h.logs.some((l) => l.includes("DING refused"))).toBe(true);
    // A reply whose message's session webhook expired before it was answered goes through the group API.
    const help = h.emu.robotMessage({ conversationId: GROUP, senderUserId: "u_li", text: "帮助" });
    await waitFor("the ack", () => help.frame.acked);
    h.clock.advance(91 * 60_000);
    await h.drain();
    expect(h.emu.messages.some((m) => m.via === "group" && m.text.includes("工单"))).toBe(true);
  });

  it("makes one ticket of a message delivered three times, also across a reconnect", async () => {
    const h = await boot();
    const first = await say(h, "u_li", "新工单 X300 屏幕闪烁", "msgTriple001");
    h.emu.gateway.duplicate(first.frame.messageId);
    await waitFor("second delivery", () => first.frame.deliveries === 2);
    h.emu.gateway.drop();
    await waitFor(
      "reconnect",
      () => h.platform.connection!.connects === 2 && h.emu.gateway.liveConnections === 1,
    );
    // A fresh frame for the same msgId after the reconnect (DingTalk's redelivery).
    const third = h.emu.robotMessage({
      conversationId: GROUP,
      senderUserId: "u_li",
      text: "新工单 X300 屏幕闪烁",
      msgId: "msgTriple001",
    });
    await waitFor("third ack", () => third.frame.acked);
    await h.drain();
    expect((await h.cl.store.list({ limit: 10 })).items).toHaveLength(1);
    expect(groupCards(h)).toHaveLength(1);
  });

  it("loses nothing when the gateway drops the connection mid-stream, or when the API throttles and fails", async () => {
    const h = await boot();
    h.emu.gateway.drop();
    // Pushed while no connection is up: delivered once the client has reconnected by itself.
    const during = h.emu.robotMessage({
      conversationId: GROUP,
      senderUserId: "u_li",
      text: "新工单 断线期间的消息",
    });
    await waitFor("delivery after reconnect", () => during.frame.acked);
    // Throttled twice (retried inside the call), then two QPS errors and a 5xx more than the call absorbs.
    h.emu.fail("card.create", "throttle", 5);
    h.emu.fail("card.create", "server", 1);
    await h.drain();
    expect(groupCards(h)).toHaveLength(0);
    for (let i = 0; i < 8 && groupCards(h).length === 0; i++) {
      h.clock.advance(120_000);
      await h.drain();
    }
    expect((await h.cl.store.list({ limit: 10 })).items).toHaveLength(1);
    expect(groupCards(h)).toHaveLength(1);
    expect(h.emu.refusals.filter((r) => r.includes("QpsLimit")).length).toBe(5);
  });

  it("refuses a forged HTTP-mode callback and accepts a signed one", async () => {
    const h = await startHarness({ env: { DINGTALK_MODE: "http" } });
    open.push(h);
    const { serve } = await import("@hono/node-server");
    const server = serve({ fetch: h.cl.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/dingtalk/events`;
    try {
      const data = h.emu.robotMessageData({
        conversationId: GROUP,
        senderUserId: "u_li",
        text: "新工单 HTTP 模式的消息",
      });
      const forged = await h.emu.postRobotCallback(url, data, { secret: "not-the-secret" });
      expect(forged.status).toBe(401);
      const stale = await h.emu.postRobotCallback(url, data, {
        timestamp: h.clock.now().getTime() - 2 * 3_600_000,
      });
      expect(stale.status).toBe(401);
      await h.drain();
      expect((await h.cl.store.list({ limit: 10 })).items).toHaveLength(0);
      const genuine = await h.emu.postRobotCallback(url, data);
      expect(genuine.status).toBe(200);
      await h.drain();
      expect((await h.cl.store.list({ limit: 10 })).items).toHaveLength(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
