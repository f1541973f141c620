import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BoardSessions } from "../../adapters/board/session.ts";
import { encryptBody, signBody, signedRequest } from "../../adapters/feishu/emulator/push.ts";
import { accepted, refused } from "./support/cases.ts";
import { flushTallies, tally } from "./support/ledger.ts";
import {
  API_TOKEN,
  DING_GROUP,
  DINGTALK,
  FEISHU,
  type SecurityWorld,
  startWorld,
  type Who,
} from "./support/world.ts";

/**
 * Issue 11, part 1: forged, expired, replayed and re-signed requests on every inbound route are refused
 * (401/403) and write nothing: no ticket event, no outbox or inbox row.
 */
let w: SecurityWorld;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  const { leaks, counts } = w.ledger.scan();
  await w?.stop();
  flushTallies("forged", { artifacts: counts, leaks: leaks.length });
  expect(leaks).toEqual([]);
});

describe("Feishu: POST /feishu/events", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${w.url}/feishu/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  const send = (req: { body: string; headers: Record<string, string> }) => post(req.body, req.headers);

  const messageEnvelope = (from: Who, text: string) => {
    const e = w.feishu.emu;
    return e.envelope("im.message.receive_v1", {
      sender: { sender_id: { open_id: w.feishu.users[from].open_id }, sender_type: "user" },
      message: {
        message_id: `om_${Math.random().toString(36).slice(2)}`,
        chat_id: w.feishu.group,
        chat_type: "group",
        message_type: "text",
        content: JSON.stringify({ text: `@_user_1 ${text}` }),
        mentions: [{ key: "@_user_1", id: { open_id: e.botOpenId }, name: e.botName }],
      },
    });
  };
  const clickEnvelope = (from: Who, value: Record<string, unknown>) =>
    w.feishu.emu.envelope("card.action.trigger", {
      operator: { open_id: w.feishu.users[from].open_id },
      token: "c-token",
      action: { tag: "button", value },
      context: { open_message_id: "om_card", open_chat_id: w.feishu.group },
    });

  /** Every way to get a push wrong, for one envelope. */
  const forgeries = (env: Record<string, unknown>) => {
    const good = signedRequest(env, FEISHU.encryptKey);
    const plain = JSON.stringify(env);
    const resign = (body: string, key: string, skewSec = 0) => {
      const ts = String(Math.floor(Date.now() / 1000) + skewSec);
      return {
        body,
        headers: {
          "x-lark-request-timestamp": ts,
          "x-lark-request-nonce": "n0nce",
          "x-lark-signature": signBody(ts, "n0nce", key, body),
        },
      };
    };
    const other = JSON.parse(plain);
    other.event = { ...other.event, forged: true };
    const withHeader = (patch: Record<string, unknown>) => {
      const e = JSON.parse(plain);
      e.header = { ...e.header, ...patch };
      return signedRequest(e, FEISHU.encryptKey);
    };
    return [
      ["signature flipped", signedRequest(env, FEISHU.encryptKey, { forgeSignature: true })],
      ["re-signed and re-encrypted with another key", signedRequest(env, "attacker-key")],
      [
        "body swapped under a good signature",
        {
          body: JSON.stringify({ encrypt: encryptBody(FEISHU.encryptKey, JSON.stringify(other)) }),
          headers: good.headers,
        },
      ],
      ["timestamp an hour old (replay)", signedRequest(env, FEISHU.encryptKey, { skewSec: -3600 })],
      ["timestamp an hour ahead", signedRequest(env, FEISHU.encryptKey, { skewSec: 3600 })],
      ["timestamp six minutes old", signedRequest(env, FEISHU.encryptKey, { skewSec: -360 })],
      ["no signature headers", { body: good.body, headers: {} }],
      [
        "signature without timestamp",
        { body: good.body, headers: { ...good.headers, "x-lark-request-timestamp": "" } },
      ],
      [
        "timestamp not a number",
        { body: good.body, headers: { ...good.headers, "x-lark-request-timestamp": "soon" } },
      ],
      ["plaintext body, correctly signed", resign(plain, FEISHU.encryptKey)],
      ["plaintext body, unsigned", { body: plain, headers: {} }],
      ["wrong verification token inside", withHeader({ token: "not-the-token" })],
      ["no verification token inside", withHeader({ token: undefined })],
      ["event for another app", withHeader({ app_id: "cli_another_app" })],
      [
        "encrypted with another key, signed with ours",
        resign(JSON.stringify({ encrypt: encryptBody("attacker-key", plain) }), FEISHU.encryptKey),
      ],
      ["not JSON", { body: "encrypt=abc", headers: good.headers }],
      ["JSON null", { body: "null", headers: {} }],
      ["JSON null, signed", resign("null", FEISHU.encryptKey)],
      ["JSON array, signed", resign("[]", FEISHU.encryptKey)],
      ["JSON string, signed", resign('"x"', FEISHU.encryptKey)],
      ["encrypt is not a string, signed", resign('{"encrypt":42}', FEISHU.encryptKey)],
      ["encrypt is garbage, signed", resign('{"encrypt":"AAAA"}', FEISHU.encryptKey)],
      ["empty body", { body: "", headers: {} }],
    ] as [string, { body: string; headers: Record<string, string> }][];
  };

  it("refuses every forged, stale and re-signed message event, writing nothing", async () => {
    for (const [name, req] of forgeries(messageEnvelope("agent-li", "新工单 伪造的工单"))) {
      const res = await refused(w, "forged:feishu", `message: ${name}`, () => send(req));
      expect(await res.text(), name).toBe("{}");
    }
    await w.drain();
    expect((await w.cl.store.list({ limit: 10, q: "伪造的工单" })).items).toHaveLength(0);
  });

  it("refuses every forged card callback, writing nothing; a good one runs once and its replay writes nothing", async () => {
    const t = await w.ticket("pending");
    const value = { action: "start", ticket: t.state.number, version: t.state.version };
    for (const [name, req] of forgeries(clickEnvelope("eng-liu", value)))
      await refused(w, "forged:feishu", `click: ${name}`, () => send(req));
    expect((await w.cl.service.get(t.state.number)).state.status).toBe("pending");

    const good = signedRequest(clickEnvelope("eng-liu", value), FEISHU.encryptKey);
    const first = await accepted(w, "forged:feishu", "click: genuine", () => send(good));
    expect(((await first.json()) as { toast: { type: string } }).toast.type).toBe("success");
    const seq = (await w.cl.service.get(t.state.number)).state.seq;
    // The very same request again inside the five minutes (a platform retry): answered as the first was,
    // since its delivery id is already on the ticket, and nothing written.
    const again = await refused(
      w,
      "forged:feishu",
      "click: replayed within the window",
      () => send(good),
      [200],
    );
    expect(((await again.json()) as { toast: { type: string } }).toast.type).toBe("success");
    const after = (await w.cl.service.get(t.state.number)).state;
    expect([after.status, after.seq]).toEqual(["in_progress", seq]);
  });

  it("a replayed message event (same signed request) makes one ticket", async () => {
    const before = (await w.cl.store.list({ limit: 100 })).items.length;
    const req = signedRequest(messageEnvelope("agent-li", "新工单 重放测试 打印机卡纸"), FEISHU.encryptKey);
    await accepted(w, "forged:feishu", "message: genuine", () => send(req));
    await refused(w, "forged:feishu", "message: replayed within the window", () => send(req), [200]);
    await w.drain();
    await refused(w, "forged:feishu", "message: replayed after processing", () => send(req), [200]);
    await w.drain();
    expect((await w.cl.store.list({ limit: 100 })).items.length).toBe(before + 1);
  });
});

describe("DingTalk: POST /dingtalk/events (HTTP mode)", () => {
  const sign = (timestamp: string, secret = DINGTALK.secret) =>
    createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");
  const post = (data: unknown, headers: Record<string, string>) =>
    fetch(w.dingtalk.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof data === "string" ? data : JSON.stringify(data),
    });
  const message = (from: Who, text: string) =>
    w.dingtalk.emu.robotMessageData({ conversationId: DING_GROUP, senderUserId: w.dingUser(from), text });

  it("refuses forged, stale and mis-signed callbacks, writing nothing", async () => {
    const data = message("agent-li", "新工单 伪造的钉钉工单");
    const now = w.clock.now().getTime();
    const ts = String(now);
    const cases: [string, Record<string, string>][] = [
      ["no headers", {}],
      ["no sign", { timestamp: ts }],
      ["no timestamp", { sign: sign(ts) }],
      ["signed with another secret", { timestamp: ts, sign: sign(ts, "attacker-secret") }],
      ["sign of another timestamp", { timestamp: ts, sign: sign(String(now - 1000)) }],
      ["sign truncated", { timestamp: ts, sign: sign(ts).slice(0, -2) }],
      [
        "sign hex instead of base64",
        {
          timestamp: ts,
          sign: createHmac("sha256", DINGTALK.secret).update(`${ts}\n${DINGTALK.secret}`).digest("hex"),
        },
      ],
      ["two hours old", { timestamp: String(now - 7_200_000), sign: sign(String(now - 7_200_000)) }],
      ["two hours ahead", { timestamp: String(now + 7_200_000), sign: sign(String(now + 7_200_000)) }],
      [
        "timestamp in seconds",
        { timestamp: String(Math.floor(now / 1000)), sign: sign(String(Math.floor(now / 1000))) },
      ],
      ["timestamp not a number", { timestamp: "now", sign: sign("now") }],
      ["timestamp 1e20", { timestamp: "1e20", sign: sign("1e20") }],
    ];
    for (const [name, headers] of cases) await refused(w, "forged:dingtalk", name, () => post(data, headers));
    await w.drain();
    expect((await w.cl.store.list({ limit: 10, q: "伪造的钉钉工单" })).items).toHaveLength(0);
  });

  it("a captured timestamp and sign do not carry another message (the sign does not cover the body)", async () => {
    const ts = String(w.clock.now().getTime());
    const headers = { timestamp: ts, sign: sign(ts) };
    const genuine = message("agent-li", "新工单 真实的钉钉消息");
    await accepted(w, "forged:dingtalk", "genuine", () => post(genuine, headers));
    // The same request again (DingTalk's redelivery, or a replay): acknowledged, nothing new.
    await refused(w, "forged:dingtalk", "replayed as is", () => post(genuine, headers), [200]);
    // The same headers on a body the attacker wrote: another sender, another message, another webhook.
    const forged = {
      ...message("admin", "新工单 借用签名的伪造消息"),
      sessionWebhook: "http://127.0.0.1:9/exfiltrate",
    };
    await refused(w, "forged:dingtalk", "captured sign on another message", () => post(forged, headers));
    await w.drain();
    expect((await w.cl.store.list({ limit: 10, q: "借用签名" })).items).toHaveLength(0);
  });

  it("never posts a conversation's replies to a session webhook outside DingTalk's host", async () => {
    const hits: string[] = [];
    const { createServer } = await import("node:http");
    const sink = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        hits.push(body);
        res.writeHead(200, { "content-type": "application/json" }).end('{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
    const port = (sink.address() as { port: number }).port;
    try {
      await w.ticket("pending");
      for (const [i, text] of ["我的工单", "帮助"].entries()) {
        const ts = String(w.clock.now().getTime() + 10_000 + i);
        const data = {
          ...message("eng-liu", text),
          conversationType: "1",
          conversationId: "cidOneToOneLiu==",
          sessionWebhook: `http://127.0.0.1:${port}/robot/sendBySession?session=stolen`,
        };
        const res = await post(data, { timestamp: ts, sign: sign(ts) });
        expect(res.status, await res.text()).toBe(200);
      }
      await w.drain();
      expect(hits).toEqual([]);
      // The answers still reached the person, through the robot's send API.
      const sent = w.dingtalk.emu.messages.filter((m) => m.target.includes(w.dingUser("eng-liu")));
      expect(sent.length).toBeGreaterThanOrEqual(2);
    } finally {
      await new Promise((r) => sink.close(r));
    }
  });
});

describe("Teams: POST /teams/messages", () => {
  it("refuses every bad token for messages and for card invokes, writing nothing", async () => {
    const t = await w.ticket("pending");
    const bad = await w.teams.emu.badTokens();
    expect(bad.map((b) => b.name)).toEqual(
      expect.arrayContaining([
        "wrong audience",
        "wrong issuer",
        "expired beyond the 5-minute skew",
        "unknown kid",
        "alg none",
      ]),
    );
    const users = w.teams.users;
    for (const b of bad) {
      const msg = w.teams.emu.personalMessage(users["agent-li"], `/ticket 伪造令牌 ${b.name}`);
      await refused(
        w,
        "forged:teams",
        `message: ${b.name}`,
        () => w.teams.emu.send(msg, b.authorization ?? null),
        [b.expect],
      );
      const invoke = w.teams.emu.execute(users["eng-liu"], msg.conversation.id, msg.id, "start", {
        ticket: t.state.number,
        version: t.state.version,
      });
      await refused(
        w,
        "forged:teams",
        `invoke: ${b.name}`,
        () => w.teams.emu.send(invoke, b.authorization ?? null),
        [b.expect],
      );
    }
    // A good token whose serviceurl claim names another host, on an activity that names it too: the
    // channel did not sign for our bot's audience... (covered above); and a token minted for a past hour.
    const old = await w.teams.emu.issuer.channelToken(w.teams.emu.serviceUrl, {
      at: Math.floor(w.clock.now().getTime() / 1000) - 7200,
    });
    const msg = w.teams.emu.personalMessage(users["agent-li"], "/ticket 过期令牌");
    await refused(w, "forged:teams", "message: token from two hours ago", () =>
      w.teams.emu.send(msg, `Bearer ${old}`),
    );
    await w.drain();
    expect((await w.cl.service.get(t.state.number)).state.status).toBe("pending");
    expect((await w.cl.store.list({ limit: 10, q: "伪造令牌" })).items).toHaveLength(0);
  });

  it("a replayed invoke (same activity, fresh token) runs once", async () => {
    const t = await w.ticket("pending");
    const users = w.teams.users;
    const msg = w.teams.emu.personalMessage(users["eng-liu"], "hi");
    const invoke = w.teams.emu.execute(users["eng-liu"], msg.conversation.id, msg.id, "start", {
      ticket: t.state.number,
      version: t.state.version,
    });
    const first = await accepted(w, "forged:teams", "invoke: genuine", () => w.teams.emu.send(invoke));
    expect(first.body.type).toBe("application/vnd.microsoft.card.adaptive");
    await refused(w, "forged:teams", "invoke: replayed", () => w.teams.emu.send(invoke), [200]);
    const events = (await w.cl.service.get(t.state.number)).events.filter((e) => e.type === "started");
    expect(events).toHaveLength(1);
  });
});

describe("API and board: bearer tokens and sessions", () => {
  const write = (version: number) => ({ body: { version, text: "伪造的评论" } });

  it("refuses bad bearer tokens in sandbox mode too", async () => {
    const t = await w.ticket("pending");
    const path = `/api/v1/tickets/${t.state.number}/comment`;
    const bearers: [string, Record<string, string>][] = [
      ["wrong token", { authorization: "Bearer not-the-token-0123456789" }],
      ["token with one character changed", { authorization: `Bearer ${API_TOKEN.slice(0, -1)}X` }],
      ["token prefix", { authorization: `Bearer ${API_TOKEN.slice(0, 16)}` }],
      ["token with a suffix", { authorization: `Bearer ${API_TOKEN}x` }],
      ["empty bearer", { authorization: "Bearer " }],
      ["bare scheme", { authorization: "Bearer" }],
      ["Basic scheme", { authorization: `Basic ${Buffer.from(`api:${API_TOKEN}`).toString("base64")}` }],
      ["token in another header", { authorization: "", "x-api-key": API_TOKEN }],
      ["two tokens", { authorization: `Bearer ${API_TOKEN} Bearer ${API_TOKEN}` }],
    ];
    for (const [name, headers] of bearers)
      await refused(w, "forged:api", `bearer: ${name}`, () => w.call("POST", path, { ...write(1), headers }));
    // The control: the real token writes.
    await accepted(w, "forged:api", "bearer: genuine", () =>
      w.call("POST", path, { ...write(1), bearer: API_TOKEN }),
    );
  });

  it("refuses tampered, foreign, expired and CSRF-less board sessions", async () => {
    const t = await w.ticket("pending");
    const path = `/api/v1/tickets/${t.state.number}/start`;
    const body = { version: t.state.version };
    const good = await w.boardSession("agent-zhou");
    const [payload, mac] = good.cookie.split("=")[1]!.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, person: "admin" })).toString("base64url");
    const foreign = new BoardSessions({ clock: w.clock }).issue("admin", "sandbox", false);
    const headersFor = (cookie: string, csrf = good.csrf) => ({ cookie, "x-closeloop-csrf": csrf });
    const cases: [string, Record<string, string>][] = [
      ["person changed, MAC kept", headersFor(`closeloop_board=${elevated}.${mac}`)],
      ["MAC from another server", headersFor(`closeloop_board=${foreign.value}`)],
      ["no MAC", headersFor(`closeloop_board=${payload}`)],
      ["empty MAC", headersFor(`closeloop_board=${payload}.`)],
      ["cookie under another name", headersFor(`closeloop=${payload}.${mac}`)],
      ["CSRF token of another session", headersFor(good.cookie, (await w.boardSession("admin")).csrf)],
      ["CSRF token empty", headersFor(good.cookie, "")],
      ["CSRF token missing, header present", { cookie: good.cookie, "x-closeloop-csrf": "x" }],
    ];
    for (const [name, headers] of cases)
      await refused(w, "forged:board", `session: ${name}`, () => w.call("POST", path, { body, headers }));
    // A session that expired (12 hours) is refused, even with its own CSRF token.
    const old = await w.boardSession("admin");
    w.clock.advance(12 * 3_600_000 + 1000);
    try {
      await refused(w, "forged:board", "session: expired", () =>
        w.call("POST", path, { body, session: old }),
      );
      const page = await fetch(`${w.url}/board`, { headers: { cookie: old.cookie }, redirect: "manual" });
      expect(page.status).toBe(302);
    } finally {
      w.clock.advance(-(12 * 3_600_000 + 1000));
    }
    expect((await w.cl.service.get(t.state.number)).state.status).toBe("pending");
  });

  it("outside sandbox: no credentials, X-Closeloop-As and bad tokens are all refused", async () => {
    const live = await startWorld({ sandbox: false });
    try {
      const t = await live.ticket("pending");
      const path = `/api/v1/tickets/${t.state.number}/comment`;
      const body = { text: "伪造" };
      for (const [name, o] of [
        ["no credentials", {}],
        ["X-Closeloop-As admin", { as: "admin" }],
        ["X-Closeloop-As with a wrong bearer", { as: "admin", bearer: "wrong-token-0123456789" }],
        ["board CSRF header without a session", { headers: { "x-closeloop-csrf": "x" } }],
      ] as [string, Record<string, unknown>][]) {
        await refused(live, "forged:api", `live: ${name}`, () => live.call("POST", path, { body, ...o }));
        await refused(live, "forged:api", `live read: ${name}`, () => live.call("GET", "/api/v1/tickets", o));
      }
      for (const [name, code] of [
        ["sandbox provider", { provider: "sandbox", code: "admin" }],
        ["unknown provider", { provider: "nobody", code: "admin" }],
        ["stand-in provider, unknown person", { provider: "test", code: "ghost" }],
      ] as [string, Record<string, unknown>][])
        await refused(live, "forged:board", `live sign-in: ${name}`, () =>
          live.call("POST", "/board/session", { body: code }),
        );
      const { leaks } = live.ledger.scan();
      expect(leaks).toEqual([]);
    } finally {
      await live.stop();
    }
  });

  it("sandbox: acting as a demo person needs a caller on this machine, not a browser tab of another site", async () => {
    const t = await w.ticket("pending");
    const from = (
      address: string,
      method: string,
      path: string,
      headers: Record<string, string>,
      body?: unknown,
    ) => {
      const req = new Request(`${w.url}${path}`, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return Promise.resolve(w.cl.app.fetch(req, { incoming: { socket: { remoteAddress: address } } }));
    };
    const local = `127.0.0.1:${new URL(w.url).port}`;
    const comment = { text: "跨站伪造" };
    const path = `/api/v1/tickets/${t.state.number}/comment`;
    const cases: [string, string, Record<string, string>][] = [
      ["X-Closeloop-As from another host", "10.0.0.5", { host: local, "x-closeloop-as": "admin" }],
      ["another host, IPv6", "2001:db8::5", { host: local }],
      [
        "a page of another site in a local browser",
        "127.0.0.1",
        { host: local, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      ],
      ["a cross-site form post (no Origin)", "127.0.0.1", { host: local, "sec-fetch-site": "cross-site" }],
      [
        "DNS rebinding: another site's name resolving to 127.0.0.1",
        "127.0.0.1",
        { host: "evil.example:8787", origin: "http://evil.example:8787", "sec-fetch-site": "same-origin" },
      ],
    ];
    for (const [name, address, headers] of cases) {
      await refused(w, "forged:sandbox", `api: ${name}`, () => from(address, "POST", path, headers, comment));
      await refused(w, "forged:sandbox", `create: ${name}`, () =>
        from(address, "POST", "/api/v1/tickets", headers, { description: "跨站伪造的工单" }),
      );
      await refused(w, "forged:sandbox", `board sign-in: ${name}`, () =>
        from(address, "POST", "/board/session", headers, { provider: "sandbox", code: "admin" }),
      );
    }
    // The controls: curl on this machine, and the board's own page, still work.
    await accepted(w, "forged:sandbox", "curl on this machine", () =>
      from("127.0.0.1", "POST", path, { host: local, "x-closeloop-as": "agent-zhou" }, comment),
    );
    const signIn = await from(
      "::ffff:127.0.0.1",
      "POST",
      "/board/session",
      { host: local, origin: `http://${local}`, "sec-fetch-site": "same-origin" },
      { provider: "sandbox", code: "agent-zhou" },
    );
    expect(signIn.status).toBe(200);
  });

  it("sandbox: the playground (act as anyone on any platform) answers this machine only", async () => {
    const { startTestServer } = await import("../support/server.ts");
    const s = await startTestServer();
    try {
      const local = `127.0.0.1:${new URL(s.url).port}`;
      const from = (
        address: string,
        method: string,
        path: string,
        headers: Record<string, string>,
        body?: unknown,
      ) =>
        Promise.resolve(
          s.closeloop.app.fetch(
            new Request(`${s.url}${path}`, {
              method,
              headers: { "content-type": "application/json", ...headers },
              body: body === undefined ? undefined : JSON.stringify(body),
            }),
            { incoming: { socket: { remoteAddress: address } } },
          ),
        );
      const people = await (
        await from("127.0.0.1", "GET", "/playground/api/feishu/people", { host: local })
      ).json();
      const chats = await (
        await from("127.0.0.1", "GET", `/playground/api/feishu/chats?as=${people.items[0].id}`, {
          host: local,
        })
      ).json();
      const chat = chats.items[0].id as string;
      const say = { as: people.items[0].id, text: "新工单 远程伪造" };
      for (const [name, address, headers] of [
        ["another host", "10.0.0.5", { host: local }],
        [
          "another site's tab",
          "127.0.0.1",
          { host: local, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
        ],
        ["DNS rebinding", "127.0.0.1", { host: "evil.example:80" }],
      ] as [string, string, Record<string, string>][]) {
        const tally0 = tally("forged:sandbox");
        tally0.tried++;
        const before = (await s.closeloop.store.list({ limit: 100 })).items.length;
        const res = await from(
          address,
          "POST",
          `/playground/api/feishu/chats/${encodeURIComponent(chat)}/messages`,
          headers,
          say,
        );
        expect({ name, status: res.status }).toEqual({ name, status: 403 });
        expect((await from(address, "GET", "/playground/api/feishu/people", headers)).status).toBe(403);
        await s.closeloop.dispatcher.runOnce();
        expect((await s.closeloop.store.list({ limit: 100 })).items.length).toBe(before);
        tally0.refused++;
      }
      const ok = await from(
        "127.0.0.1",
        "POST",
        `/playground/api/feishu/chats/${encodeURIComponent(chat)}/messages`,
        { host: local },
        say,
      );
      expect(ok.status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it("counts at least one refused case per inbound route", () => {
    for (const c of [
      "forged:feishu",
      "forged:dingtalk",
      "forged:teams",
      "forged:api",
      "forged:board",
      "forged:sandbox",
    ])
      expect(tally(c).refused, c).toBeGreaterThan(0);
  });
});
