import { Client, DefaultCache, LoggerLevel } from "@larksuiteoapi/node-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "../../adapters/feishu/emulator/frames.ts";
import { FeishuEmulator } from "../../adapters/feishu/emulator/index.ts";
import { renderFeishu } from "../../cards/render/feishu.ts";

let emu: FeishuEmulator;
let client: Client;
const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };

beforeEach(async () => {
  emu = new FeishuEmulator();
  await emu.start();
  client = new Client({
    appId: emu.appId,
    appSecret: emu.appSecret,
    domain: emu.url,
    cache: new DefaultCache(),
    logger: quiet,
    loggerLevel: LoggerLevel.error,
  });
});
afterEach(() => emu.stop());

const card = (extra: object = {}) => ({
  schema: "2.0",
  config: { update_multi: true },
  header: { title: { tag: "plain_text", content: "t" }, template: "blue" },
  body: { elements: [{ tag: "markdown", content: "hello" }] },
  ...extra,
});

async function sendRaw(data: object, type = "chat_id") {
  return client.im.v1.message
    .create({ params: { receive_id_type: type as "chat_id" }, data: data as never })
    .catch((e: { response: { status: number; data: { code: number } } }) => ({
      status: e.response.status,
      code: e.response.data.code,
    }));
}

describe("the local Feishu", () => {
  it("issues tenant tokens and refuses calls without one or with an unknown one", async () => {
    const none = await fetch(`${emu.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
      method: "POST",
    });
    expect((await none.json()).code).toBe(99991661);
    const bad = await fetch(`${emu.url}/open-apis/bot/v3/info`, {
      headers: { authorization: "Bearer t-nope" },
    });
    expect((await bad.json()).code).toBe(99991663);
    const info = await client.request({ method: "GET", url: "/open-apis/bot/v3/info" });
    expect(info.bot.open_id).toBe(emu.botOpenId);
  });

  it("checks content per msg_type, the card schema and the 30 KB cap", async () => {
    const u = emu.addUser({ name: "A" });
    const chat = emu.addGroup("g", [u.open_id]);
    const base = { receive_id: chat.chat_id };
    expect(await sendRaw({ ...base, msg_type: "text", content: JSON.stringify({ txt: "x" }) })).toMatchObject(
      { code: 230001 },
    );
    expect(
      await sendRaw({ ...base, msg_type: "interactive", content: JSON.stringify(card({ bogus: 1 })) }),
    ).toMatchObject({ code: 230099 });
    const big = card({ body: { elements: [{ tag: "markdown", content: "x".repeat(31 * 1024) }] } });
    expect(await sendRaw({ ...base, msg_type: "interactive", content: JSON.stringify(big) })).toMatchObject({
      code: 230025,
    });
    const ok = await sendRaw({ ...base, msg_type: "interactive", content: JSON.stringify(card()) });
    expect((ok as { code: number }).code).toBe(0);
    // A rendered closeloop card is accepted as is.
    const real = renderFeishu({
      kind: "nudge",
      locale: "en",
      header: { title: "x", tone: "blue", tags: [] },
      blocks: [{ kind: "text", content: [{ kind: "text", text: "hi" }] }],
      summary: "x",
    });
    expect(
      (
        (await sendRaw({ ...base, msg_type: "interactive", content: JSON.stringify(real) })) as {
          code: number;
        }
      ).code,
    ).toBe(0);
  });

  it("needs update_multi on both cards to PATCH, and never patches someone else's message", async () => {
    const u = emu.addUser({ name: "A" });
    const chat = emu.addGroup("g", [u.open_id]);
    // A card 1.0 without update_multi: sent fine, never patchable.
    const single = {
      config: { wide_screen_mode: true },
      elements: [{ tag: "div", text: { tag: "plain_text", content: "x" } }],
    };
    const sent = (await sendRaw({
      receive_id: chat.chat_id,
      msg_type: "interactive",
      content: JSON.stringify(single),
    })) as {
      data: { message_id: string };
    };
    const patch = (id: string, c: object) =>
      client.im.v1.message
        .patch({ path: { message_id: id }, data: { content: JSON.stringify(c) } })
        .catch((e: { response: { data: { code: number } } }) => e.response.data);
    expect(await patch(sent.data.message_id, card())).toMatchObject({ code: 230001 });
    const userMessage = await emu.userSends({ chatId: chat.chat_id, from: u.open_id, text: "hi" });
    expect(await patch(userMessage.message.message_id, card())).toMatchObject({ code: 230012 });
  });

  it("buzz: reports invalid ids, refuses when all are invalid, needs the urgent scope", async () => {
    const u = emu.addUser({ name: "A" });
    const outsider = emu.addUser({ name: "B" });
    const chat = emu.addGroup("g", [u.open_id]);
    const sent = (await sendRaw({
      receive_id: chat.chat_id,
      msg_type: "interactive",
      content: JSON.stringify(card()),
    })) as {
      data: { message_id: string };
    };
    const buzz = (ids: string[]) =>
      client.im.v1.message
        .urgentApp({
          path: { message_id: sent.data.message_id },
          params: { user_id_type: "open_id" },
          data: { user_id_list: ids },
        })
        .catch((e: { response: { data: { code: number } } }) => e.response.data);
    expect(await buzz([u.open_id, outsider.open_id])).toMatchObject({
      code: 0,
      data: { invalid_user_id_list: [outsider.open_id] },
    });
    expect(await buzz(["ou_unknown"])).toMatchObject({ code: 230001 });
    emu.scopes = new Set(["im:message:send_as_bot"]);
    expect(await buzz([u.open_id])).toMatchObject({ code: 99991672 });
  });

  it("limits each chat to 5 messages a second (230020), de-duplicates by uuid, and misbehaves on demand", async () => {
    const u = emu.addUser({ name: "A" });
    const chat = emu.addGroup("g", [u.open_id]);
    const text = (i: number, uuid?: string) =>
      sendRaw({
        receive_id: chat.chat_id,
        msg_type: "text",
        content: JSON.stringify({ text: `m${i}` }),
        ...(uuid ? { uuid } : {}),
      });
    const first = (await text(0, "same-key")) as { data: { message_id: string } };
    const again = (await text(0, "same-key")) as { data: { message_id: string } };
    expect(again.data.message_id).toBe(first.data.message_id);
    const codes = [];
    for (let i = 1; i <= 5; i++) codes.push(((await text(i)) as { code: number }).code);
    expect(codes).toEqual([0, 0, 0, 0, 230020]);

    emu.fail({ path: /bot\/v3\/info/, status: 503, times: 1 });
    await expect(client.request({ method: "GET", url: "/open-apis/bot/v3/info" })).rejects.toMatchObject({
      response: { status: 503 },
    });
    emu.throttle(1, /bot\/v3\/info/, 2);
    await expect(client.request({ method: "GET", url: "/open-apis/bot/v3/info" })).rejects.toMatchObject({
      response: { status: 429, headers: { "x-ogw-ratelimit-reset": "2" }, data: { code: 99991400 } },
    });
    expect((await client.request({ method: "GET", url: "/open-apis/bot/v3/info" })).code).toBe(0);
  });

  it("answers contact lookups with department leaders, 403 outside the contact scope", async () => {
    const lead = emu.addUser({ name: "L" });
    const dep = emu.addDepartment({ name: "D", leader_user_id: lead.open_id });
    const hidden = emu.addDepartment({ name: "H", outOfScope: true });
    const got = await client.contact.v3.department.get({ path: { department_id: dep.open_department_id } });
    expect(got.data?.department?.leader_user_id).toBe(lead.open_id);
    await expect(
      client.contact.v3.department.get({ path: { department_id: hidden.open_department_id } }),
    ).rejects.toMatchObject({
      response: { status: 403, data: { code: 40004 } },
    });
  });

  it("encodes and decodes long-connection frames", () => {
    const f = {
      SeqID: 3,
      LogID: 2 ** 40,
      service: 7,
      method: 1,
      headers: [{ key: "type", value: "event" }],
      payload: new TextEncoder().encode('{"a":"中"}'),
    };
    const back = decodeFrame(encodeFrame(f));
    expect(back).toMatchObject({ SeqID: 3, LogID: 2 ** 40, service: 7, method: 1, headers: f.headers });
    expect(new TextDecoder().decode(back.payload)).toBe('{"a":"中"}');
    expect(() => decodeFrame(Uint8Array.from([8, 1]))).toThrow(/field 2 missing/);
  });
});

describe("the local Feishu pushing events", () => {
  it("re-pushes an event our server did not take, signed and encrypted, and can send duplicates", async () => {
    const { serve } = await import("@hono/node-server");
    const { Hono } = await import("hono");
    const { AESCipher } = await import("@larksuiteoapi/node-sdk");
    const received: { ids: string; signed: boolean }[] = [];
    let fail = 1;
    const app = new Hono().post("/events", async (c) => {
      const body = (await c.req.json()) as { encrypt: string };
      const env = JSON.parse(new AESCipher("k").decrypt(body.encrypt)) as { header: { event_id: string } };
      received.push({ ids: env.header.event_id, signed: !!c.req.header("x-lark-signature") });
      return fail-- > 0 ? c.text("busy", 500) : c.json({});
    });
    const server = await new Promise<import("node:http").Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as never));
    });
    const port = (server.address() as { port: number }).port;
    const pusher = new FeishuEmulator({ encryptKey: "k", retryDelaysMs: [5, 5] });
    await pusher.start();
    pusher.callbackUrl = `http://127.0.0.1:${port}/events`;
    pusher.duplicates = 1;
    const env = pusher.envelope("im.message.receive_v1", { message: {} });
    expect((await pusher.push(env)).status).toBe(500);
    for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    const second = pusher.envelope("im.message.receive_v1", { message: {} });
    expect((await pusher.push(second)).status).toBe(200);
    const id = (e: Record<string, unknown>) => (e.header as { event_id: string }).event_id;
    expect(received.map((r) => r.ids)).toEqual([id(env), id(env), id(second), id(second)]);
    expect(received.every((r) => r.signed)).toBe(true);
    await pusher.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
