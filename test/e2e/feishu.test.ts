import { afterEach, describe, expect, it } from "vitest";
import { answerOf, buttonValue, type Harness, startHarness } from "../feishu/harness.ts";

const FAR = "9999-01-01T00:00:00.000Z";
let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const card = (h: Harness, messageId: string) => h.emu.cardOf(messageId)!;
const repliesTo = (h: Harness, messageId: string) =>
  h.emu.botMessages().filter((m) => m.parent_id === messageId);

async function ticketFromChat(h: Harness, text = "新工单 客户张先生的X200手机无法开机，一直死机") {
  const sent = await h.emu.userSends({ chatId: h.group, from: h.ids.agent, text, mentionBot: true });
  expect(sent.answer?.status).toBe(200);
  await h.drain();
  const replies = repliesTo(h, sent.message.message_id);
  expect(replies).toHaveLength(1);
  const list = await h.api("/api/v1/tickets");
  const number = list.body.items.at(-1).number as string;
  return { sent, cardMessage: replies[0]!.message_id, number };
}

describe.each(["webhook", "ws"] as const)("Feishu end to end (%s)", (mode) => {
  it("creates a routed ticket from an @mention, then Start and Resolve update every posted card", async () => {
    h = await startHarness({ mode });
    const { cardMessage, number } = await ticketFromChat(h);
    const ticket = (await h.api(`/api/v1/tickets/${number}`)).body;
    expect(ticket.department).toBe("tech");
    expect(ticket.owner).toBe("eng-liu");
    expect(ticket.origin.platform).toBe("feishu");
    expect(JSON.stringify(card(h, cardMessage))).toContain(number);

    // The engineer asks for the ticket in a one-to-one chat: a second copy of the card.
    const p2p = h.emu.p2pChat(h.ids.engineer);
    const shown = await h.emu.userSends({
      chatId: p2p.chat_id,
      from: h.ids.engineer,
      text: `工单 ${number}`,
    });
    await h.drain();
    const copy = repliesTo(h, shown.message.message_id)[0]!.message_id;

    const start = await h.emu.clickCard({
      messageId: cardMessage,
      operator: h.ids.engineer,
      value: buttonValue(card(h, cardMessage), "start")!,
    });
    expect(start.status).toBe(200);
    expect(answerOf(start).toast.type).toBe("success");
    expect((await h.api(`/api/v1/tickets/${number}`)).body.status).toBe("in_progress");
    await h.drain();

    const open = await h.emu.clickCard({
      messageId: cardMessage,
      operator: h.ids.engineer,
      value: buttonValue(card(h, cardMessage), "resolve")!,
    });
    expect(answerOf(open).card?.type).toBe("raw");
    const submit = buttonValue(card(h, cardMessage), "resolve")!;
    expect(submit.form).toBeUndefined();
    const resolved = await h.emu.clickCard({
      messageId: cardMessage,
      operator: h.ids.engineer,
      value: submit,
      formValue: { solution: "更换主板后开机正常" },
    });
    expect(answerOf(resolved).toast.type).toBe("success");
    expect(answerOf(resolved).toast.i18n.en_us).toContain("Resolved");
    await h.drain();

    expect((await h.api(`/api/v1/tickets/${number}`)).body.status).toBe("resolved");
    const board = await h.api("/api/v1/tickets?status=resolved");
    expect(board.body.items.map((t: { number: string }) => t.number)).toContain(number);
    for (const m of [cardMessage, copy]) {
      expect(JSON.stringify(card(h, m))).toContain("更换主板后开机正常");
      expect(h.emu.messages.get(m)!.updates).toBeGreaterThan(0);
    }
    expect(h.emu.requests.some((r) => r.method === "PATCH" && r.path.endsWith(copy) && r.code === 0)).toBe(
      true,
    );
  });

  it("Nudge mentions and buzzes the owner; a second tap inside the window is refused with the time", async () => {
    h = await startHarness({ mode });
    const { sent, cardMessage } = await ticketFromChat(h);
    const tap = () =>
      h!.emu.clickCard({
        messageId: cardMessage,
        operator: h!.ids.agent,
        value: buttonValue(card(h!, cardMessage), "nudge")!,
      });
    const first = await tap();
    expect(answerOf(first).toast.type).toBe("success");
    await h.drain();
    const nudge = repliesTo(h, sent.message.message_id).find((m) => m.message_id !== cardMessage)!;
    expect(nudge.content).toContain(`<at id=${h.emu.users.get(h.ids.engineer)!.open_id}></at>`);
    expect(h.emu.urgent).toEqual([
      expect.objectContaining({ message_id: nudge.message_id, kind: "app", user_ids: [h.ids.engineer] }),
    ]);

    h.clock.advance(60_000);
    const second = await tap();
    expect(answerOf(second).toast.type).toBe("error");
    expect(answerOf(second).toast.i18n.en_us).toMatch(/already nudged .* at .*\d/);
    await h.drain();
    expect(h.emu.urgent).toHaveLength(1);
  });

  it("the SLA clock passing the target sends the department head the overdue alert card", async () => {
    h = await startHarness({ mode });
    const { number } = await ticketFromChat(h);
    const due = (await h.cl.service.get(number)).state.due.firstResponse!;
    h.clock.set(Date.parse(due) + 60_000);
    while ((await h.cl.scheduler.sweep()) > 0) {}
    await h.drain();
    const headChat = h.emu.p2pChat(h.ids.head);
    const alerts = h.emu.messagesIn(headChat.chat_id).filter((m) => m.msg_type === "interactive");
    expect(alerts.length).toBeGreaterThan(0);
    const alert = JSON.parse(alerts.at(-1)!.content);
    expect(alert.header.template).toBe("red");
    expect(JSON.stringify(alert)).toContain(number);
  });

  it("the same message delivered three times makes one ticket and one reply", async () => {
    h = await startHarness({ mode });
    const { sent } = await ticketFromChat(h);
    for (let i = 0; i < 2; i++) expect((await h.emu.redeliver(sent.eventId!)).status).toBe(200);
    await h.drain();
    expect((await h.api("/api/v1/tickets")).body.items).toHaveLength(1);
    expect(repliesTo(h, sent.message.message_id)).toHaveLength(1);
  });

  it("de-duplication survives a restart: a late redelivery after it makes nothing new", async () => {
    h = await startHarness({ mode });
    const { sent } = await ticketFromChat(h);
    await h.restart();
    if (mode === "ws")
      for (let i = 0; i < 200 && h.emu.ws.connected !== 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await h.emu.redeliver(sent.eventId!)).status).toBe(200);
    await h.drain();
    expect((await h.api("/api/v1/tickets")).body.items).toHaveLength(1);
    expect(repliesTo(h, sent.message.message_id)).toHaveLength(1);
  });

  it("429 then recovery: everything is delivered once", async () => {
    h = await startHarness({ mode });
    h.emu.throttle(2, /\/open-apis\/im\/v1\/messages/);
    const { sent } = await ticketFromChat(h);
    expect(h.emu.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(repliesTo(h, sent.message.message_id)).toHaveLength(1);
    // The owner's assignment notice went out once too.
    const dm = h.emu.messagesIn(h.emu.p2pChat(h.ids.engineer).chat_id);
    expect(dm).toHaveLength(1);
    expect((await h.cl.store.dueOutbox(FAR, 100)).filter((r) => !r.deliveredAt)).toHaveLength(0);
  });
});

describe("Feishu webhook security", () => {
  it("refuses a forged signature, a wrong verification token and a replayed old timestamp, writing nothing", async () => {
    h = await startHarness();
    const before = await h.cl.store.dueOutbox(FAR, 100);
    const chat = h.group;
    const forged = await h.emu.userSends({
      chatId: chat,
      from: h.ids.agent,
      text: "新工单 伪造",
      mentionBot: true,
      push: { forgeSignature: true },
    });
    const old = await h.emu.userSends({
      chatId: chat,
      from: h.ids.agent,
      text: "新工单 重放",
      mentionBot: true,
      push: { skewSec: -3600 },
    });
    const env = h.emu.envelope("im.message.receive_v1", {
      sender: { sender_id: { open_id: h.ids.agent }, sender_type: "user" },
      message: {
        message_id: "om_x",
        chat_id: chat,
        chat_type: "group",
        message_type: "text",
        content: '{"text":"x"}',
      },
    });
    (env.header as { token: string }).token = "wrong-token";
    const wrongToken = await h.emu.push(env, {}, false);
    for (const a of [forged.answer!, old.answer!, wrongToken]) expect(a.status).toBe(401);
    expect(JSON.stringify(wrongToken.body)).toBe("{}");
    await h.drain();
    expect(await h.cl.store.dueOutbox(FAR, 100)).toEqual(before);
    expect((await h.api("/api/v1/tickets")).body.items).toHaveLength(0);
    const reasons = h.logs.filter((l) => l.includes("Feishu push refused")).join("\n");
    expect(reasons).toContain("signature mismatch");
    expect(reasons).toContain("replay");
    expect(reasons).toContain("wrong verification token");
  });

  it("answers the URL verification challenge, plain and encrypted", async () => {
    h = await startHarness();
    const { signedRequest } = await import("../../adapters/feishu/emulator/push.ts");
    const check = { challenge: "ch-123", token: "test-verification-token", type: "url_verification" };
    for (const key of [undefined, "test-encrypt-key"]) {
      const req = signedRequest(check, key);
      const res = await fetch(`${h.url}/feishu/events`, {
        method: "POST",
        headers: req.headers,
        body: req.body,
      });
      expect(await res.json()).toEqual({ challenge: "ch-123" });
    }
    // Encrypted but unsigned (the platform does not promise to sign the URL check): still answered.
    const { encryptBody } = await import("../../adapters/feishu/emulator/push.ts");
    const unsigned = JSON.stringify({ encrypt: encryptBody("test-encrypt-key", JSON.stringify(check)) });
    const res = await fetch(`${h.url}/feishu/events`, { method: "POST", body: unsigned });
    expect(await res.json()).toEqual({ challenge: "ch-123" });
    const wrong = JSON.stringify({ ...check, token: "nope" });
    expect((await fetch(`${h.url}/feishu/events`, { method: "POST", body: wrong })).status).toBe(401);
  });
});
