import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { checkContent, parseCard, type Refusal, updateMulti } from "./content.ts";
import { type PushOptions, signedRequest } from "./push.ts";
import type { EmuChat, EmuDepartment, EmuMessage, EmuUser, RequestLog, UrgentCall } from "./world.ts";
import { WS_CLIENT_CONFIG, WsHub } from "./ws.ts";

export type { EmuChat, EmuDepartment, EmuMessage, EmuUser, RequestLog, UrgentCall } from "./world.ts";

export interface EmulatorOptions {
  readonly appId?: string;
  readonly appSecret?: string;
  readonly verificationToken?: string;
  /** Set: pushed bodies are encrypted and signed, as with an Encrypt Key configured in the console. */
  readonly encryptKey?: string;
  readonly botName?: string;
  /** Scopes the app holds; a call needing another answers 99991672. Default: all. */
  readonly scopes?: readonly string[];
  /** Delays between re-pushes of an event our server did not take (Feishu: 15 s, 5 min, 1 h, 6 h). */
  readonly retryDelaysMs?: readonly number[];
}

/** A scripted misbehaviour: the next `times` matching calls answer like this. */
export interface Fault {
  readonly path?: RegExp;
  readonly method?: string;
  readonly status: number;
  readonly code?: number;
  readonly msg?: string;
  readonly headers?: Record<string, string>;
  /** Answer only after this many ms. */
  readonly delayMs?: number;
  times: number;
}

export interface PushAnswer {
  readonly status: number;
  readonly body: unknown;
}

const TOKEN_TTL_S = 7200;
const PER_TARGET_QPS = 5;
const RETRY_DELAYS = [15_000, 300_000, 3_600_000, 21_600_000];

const id = (prefix: string, bytes = 12) => `${prefix}${randomBytes(bytes).toString("hex")}`;
const scopeOf: readonly [RegExp, string][] = [
  [/^\/open-apis\/im\/v1\/messages\/[^/]+\/urgent_app/, "im:message.urgent"],
  [/^\/open-apis\/im\/v1\/messages\/[^/]+\/urgent_sms/, "im:message.urgent:sms"],
  [/^\/open-apis\/im\/v1\/messages\/[^/]+\/urgent_phone/, "im:message.urgent:phone"],
  [/^\/open-apis\/im\/v1\/messages/, "im:message:send_as_bot"],
  [/^\/open-apis\/contact\/v3\/departments/, "contact:department.organize:readonly"],
  [/^\/open-apis\/contact\/v3\/users/, "contact:user.base:readonly"],
];

/**
 * A local Feishu Open Platform on 127.0.0.1 that the unmodified SDK talks to through its `domain`: strict
 * about what it receives, faithful in what it pushes, and able to misbehave on demand.
 */
export class FeishuEmulator {
  readonly appId: string;
  readonly appSecret: string;
  readonly verificationToken: string;
  readonly encryptKey?: string;
  readonly botOpenId = id("ou_", 16);
  readonly botName: string;
  readonly tenantKey = id("", 8);
  readonly users = new Map<string, EmuUser>();
  readonly departments = new Map<string, EmuDepartment>();
  readonly chats = new Map<string, EmuChat>();
  readonly messages = new Map<string, EmuMessage>();
  readonly urgent: UrgentCall[] = [];
  readonly requests: RequestLog[] = [];
  /** Every answer our server gave to a pushed event or callback, in order. */
  readonly pushes: { event_id: string; event_type: string; status: number; body: unknown }[] = [];
  readonly ws = new WsHub();
  /** Where events and card callbacks go in webhook mode. */
  callbackUrl?: string;
  /** In-process delivery instead of HTTP (the playground hands the signed request straight to the app). */
  transport?: (req: { body: string; headers: Record<string, string> }) => Promise<Response>;
  /** webhook: HTTP POST to callbackUrl; ws: one of the connected long-connection clients. */
  mode: "webhook" | "ws" = "webhook";
  /** Split each long-connection event into this many frames. */
  wsParts = 1;
  /** Push every event this many extra times after it was taken (Feishu does deliver duplicates). */
  duplicates = 0;
  /**
   * Off unless set: the app-wide limit on sending messages (Feishu documents 50 a second per app), answered
   * with 429 / 99991400 and the rate-limit headers, as the gateway does. The per-chat limit always holds.
   */
  appSendsPerSecond: number | undefined;
  /** The clock the send limits are measured on (ms); tests may pin it. */
  now: () => number = () => Date.now();
  /** How many calls a scripted fault answered (or delayed). */
  faulted = 0;
  scopes: Set<string> | undefined;
  readonly #opts: EmulatorOptions;
  readonly #tokens = new Map<string, number>();
  readonly #uuids = new Map<string, { id: string; at: number }>();
  readonly #sendTimes = new Map<string, number[]>();
  readonly #faults: Fault[] = [];
  readonly #updateTokens = new Map<string, { message: string; uses: number; expires: number }>();
  readonly #envelopes = new Map<string, unknown>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #server?: Server;
  #url?: string;

  constructor(opts: EmulatorOptions = {}) {
    this.#opts = opts;
    this.appId = opts.appId ?? "cli_a1b2c3d4e5f60718";
    this.appSecret = opts.appSecret ?? "emulator-app-secret";
    this.verificationToken = opts.verificationToken ?? "emulator-verification-token";
    this.encryptKey = opts.encryptKey;
    this.botName = opts.botName ?? "closeloop";
    this.scopes = opts.scopes ? new Set(opts.scopes) : undefined;
  }

  get url(): string {
    if (!this.#url) throw new Error("emulator not started");
    return this.#url;
  }

  async start(port = 0): Promise<string> {
    const app = this.#routes();
    this.#server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(s as Server));
    });
    const address = this.#server.address();
    this.#url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`;
    this.ws.attach(this.#server);
    return this.#url;
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.ws.close();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
    this.#server?.closeAllConnections?.();
  }

  // --- the world -------------------------------------------------------------------------------------

  addUser(u: Partial<EmuUser> & { name: string }): EmuUser {
    const user: EmuUser = {
      open_id: u.open_id ?? id("ou_", 16),
      user_id: u.user_id ?? id("", 4),
      union_id: u.union_id ?? id("on_", 16),
      name: u.name,
      department_ids: u.department_ids ?? [],
      unavailable: u.unavailable,
    };
    this.users.set(user.open_id, user);
    return user;
  }

  addDepartment(d: Partial<EmuDepartment> & { name: string }): EmuDepartment {
    const dep: EmuDepartment = {
      open_department_id: d.open_department_id ?? id("od-", 16),
      name: d.name,
      leader_user_id: d.leader_user_id,
      parent_department_id: d.parent_department_id ?? "0",
      outOfScope: d.outOfScope,
    };
    this.departments.set(dep.open_department_id, dep);
    return dep;
  }

  addGroup(
    name: string,
    members: readonly string[],
    opts: { botIn?: boolean; allowBuzz?: boolean } = {},
  ): EmuChat {
    const chat: EmuChat = {
      chat_id: id("oc_", 16),
      type: "group",
      name,
      members: new Set(members),
      botIn: opts.botIn ?? true,
      allowBuzz: opts.allowBuzz ?? true,
    };
    this.chats.set(chat.chat_id, chat);
    return chat;
  }

  /** The bot's one-to-one chat with a person, made on first use as Feishu does. */
  p2pChat(openId: string): EmuChat {
    for (const c of this.chats.values()) if (c.type === "p2p" && c.members.has(openId)) return c;
    const chat: EmuChat = {
      chat_id: id("oc_", 16),
      type: "p2p",
      name: this.users.get(openId)?.name ?? openId,
      members: new Set([openId]),
      botIn: true,
      allowBuzz: true,
    };
    this.chats.set(chat.chat_id, chat);
    return chat;
  }

  /** Messages in a chat, oldest first. */
  messagesIn(chatId: string): EmuMessage[] {
    return [...this.messages.values()].filter((m) => m.chat_id === chatId);
  }

  botMessages(): EmuMessage[] {
    return [...this.messages.values()].filter((m) => m.sender === "bot");
  }

  cardOf(messageId: string): Record<string, unknown> | undefined {
    const m = this.messages.get(messageId);
    return m?.msg_type === "interactive" ? (JSON.parse(m.content) as Record<string, unknown>) : undefined;
  }

  /** The next `times` calls matching `path` (and `method`) answer with this status and code. */
  fail(fault: Omit<Fault, "times"> & { times?: number }): void {
    this.#faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Ends every scripted misbehaviour still pending (an outage that is over). */
  clearFaults(): void {
    for (const f of this.#faults) f.times = 0;
  }

  /** Answers 429 / 99991400 with the rate-limit headers, `times` times. */
  throttle(times: number, path?: RegExp, resetSec = 1): void {
    this.fail({
      path,
      status: 429,
      code: 99991400,
      msg: "request trigger frequency limit",
      headers: { "x-ogw-ratelimit-limit": "50", "x-ogw-ratelimit-reset": String(resetSec) },
      times,
    });
  }

  // --- pushing events ---------------------------------------------------------------------------------

  envelope(eventType: string, event: unknown, eventId = id("ev_", 16)): Record<string, unknown> {
    const env = {
      schema: "2.0",
      header: {
        event_id: eventId,
        event_type: eventType,
        create_time: String(Date.now()),
        token: this.verificationToken,
        app_id: this.appId,
        tenant_key: this.tenantKey,
      },
      event,
    };
    this.#envelopes.set(eventId, env);
    return env;
  }

  /** A person writes in a chat. In a group only a message that @mentions the bot is pushed to the app. */
  async userSends(input: {
    chatId: string;
    from: string;
    text: string;
    mentionBot?: boolean;
    push?: PushOptions;
  }): Promise<{ message: EmuMessage; eventId?: string; answer?: PushAnswer }> {
    const chat = this.chats.get(input.chatId);
    if (!chat) throw new Error(`no chat ${input.chatId}`);
    const user = this.users.get(input.from);
    if (!user) throw new Error(`no user ${input.from}`);
    const mentions = input.mentionBot
      ? [{ key: "@_user_1", id: { open_id: this.botOpenId }, name: this.botName }]
      : [];
    const text = input.mentionBot ? `@_user_1 ${input.text}` : input.text;
    const message: EmuMessage = {
      message_id: id("om_", 16),
      chat_id: chat.chat_id,
      sender: user.open_id,
      msg_type: "text",
      content: JSON.stringify({ text }),
      create_time: Date.now(),
      mentions,
      updates: 0,
      recalled: false,
    };
    this.messages.set(message.message_id, message);
    if (chat.type === "group" && !input.mentionBot) return { message };
    const env = this.envelope("im.message.receive_v1", {
      sender: {
        sender_id: { open_id: user.open_id, union_id: user.union_id, user_id: user.user_id },
        sender_type: "user",
        tenant_key: this.tenantKey,
      },
      message: {
        message_id: message.message_id,
        chat_id: chat.chat_id,
        chat_type: chat.type,
        message_type: "text",
        content: message.content,
        mentions: mentions.map((m) => ({
          ...m,
          id: { ...m.id, union_id: "", user_id: "" },
          tenant_key: this.tenantKey,
        })),
        create_time: String(message.create_time),
      },
    });
    const eventId = (env.header as { event_id: string }).event_id;
    const answer = await this.push(env, input.push);
    return { message, eventId, answer };
  }

  /** Pushes an event again (a duplicate, or a late delivery), freshly signed. */
  redeliver(eventId: string, opts: PushOptions = {}): Promise<PushAnswer> {
    const env = this.#envelopes.get(eventId);
    if (!env) throw new Error(`no event ${eventId}`);
    return this.push(env, opts);
  }

  /** A person taps a button (or submits a form) on a card the bot posted. */
  async clickCard(input: {
    messageId: string;
    operator: string;
    value: Record<string, unknown>;
    formValue?: Record<string, unknown>;
    name?: string;
    push?: PushOptions;
  }): Promise<PushAnswer> {
    const message = this.messages.get(input.messageId);
    if (message?.msg_type !== "interactive") throw new Error(`no card ${input.messageId}`);
    const user = this.users.get(input.operator);
    if (!user) throw new Error(`no user ${input.operator}`);
    const token = id("c-", 16);
    this.#updateTokens.set(token, {
      message: message.message_id,
      uses: 0,
      expires: Date.now() + 30 * 60_000,
    });
    const env = this.envelope("card.action.trigger", {
      operator: {
        open_id: user.open_id,
        union_id: user.union_id,
        user_id: user.user_id,
        tenant_key: this.tenantKey,
      },
      token,
      action: {
        tag: "button",
        value: input.value,
        ...(input.formValue ? { form_value: input.formValue, name: input.name ?? "submit" } : {}),
        timezone: "Asia/Shanghai",
      },
      host: "im_message",
      context: { open_message_id: message.message_id, open_chat_id: message.chat_id },
    });
    const answer = await this.push(env, input.push, false);
    const body = answer.body as { card?: { type?: string; data?: unknown } } | undefined;
    if (answer.status === 200 && body?.card?.type === "raw" && body.card.data) {
      const content = JSON.stringify(body.card.data);
      const parsed = parseCard(content);
      if (!parsed.refusal) {
        message.content = content;
        message.updates += 1;
      } else this.#log("CALLBACK", "card.action.trigger", 200, 200673);
    }
    return answer;
  }

  /** The bot's message is recalled: no more updates, replies or buzzes (230011). */
  recall(messageId: string): void {
    const m = this.messages.get(messageId);
    if (m) m.recalled = true;
  }

  /** Sends an envelope the way the current mode does; retries per Feishu's schedule unless `retry` is false. */
  async push(env: unknown, opts: PushOptions = {}, retry = true, attempt = 0): Promise<PushAnswer> {
    const answer = await this.#pushOnce(env, opts, retry, attempt);
    if (answer.status === 200 && attempt === 0)
      for (let i = 0; i < this.duplicates; i++) await this.#pushOnce(env, {}, false, 0);
    return answer;
  }

  async #pushOnce(env: unknown, opts: PushOptions, retry: boolean, attempt: number): Promise<PushAnswer> {
    const header = (env as { header: { event_id: string; event_type: string } }).header;
    let answer: PushAnswer;
    if (this.mode === "ws") {
      answer = await this.ws.push(env, this.wsParts);
    } else {
      if (!this.callbackUrl && !this.transport) throw new Error("emulator: no callbackUrl");
      const req = signedRequest(env, this.encryptKey, opts);
      try {
        const res = this.transport
          ? await this.transport(req)
          : await fetch(this.callbackUrl!, {
              method: "POST",
              headers: req.headers,
              body: req.body,
              signal: AbortSignal.timeout(3000),
            });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        answer = { status: res.status, body };
      } catch (e) {
        answer = { status: 0, body: (e as Error).message };
      }
    }
    this.pushes.push({ event_id: header.event_id, event_type: header.event_type, ...answer });
    const delays = this.#opts.retryDelaysMs ?? RETRY_DELAYS;
    if (answer.status !== 200 && retry && attempt < delays.length) {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        void this.#pushOnce(env, {}, true, attempt + 1);
      }, delays[attempt]);
      t.unref();
      this.#timers.add(t);
    }
    return answer;
  }

  // --- the Open API -----------------------------------------------------------------------------------

  #log(method: string, path: string, status: number, code: number): void {
    this.requests.push({ method, path, status, code, at: Date.now() });
  }

  #answer(c: Context, status: number, body: Record<string, unknown>) {
    this.#log(c.req.method, c.req.path, status, Number(body.code ?? 0));
    return c.json(body, status as 200);
  }

  #fail(c: Context, r: Refusal, headers: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    return this.#answer(c, r.status, {
      code: r.code,
      msg: r.msg,
      error: { log_id: id("", 10), troubleshooter: `https://open.feishu.cn/search?q=${r.code}` },
    });
  }

  #ok(c: Context, data: unknown) {
    return this.#answer(c, 200, { code: 0, msg: "success", data });
  }

  /** Each target (chat or person) takes at most 5 messages a second, as Feishu enforces (230020). */
  #throttled(target: string, perSecond = PER_TARGET_QPS): boolean {
    const now = this.now();
    const times = (this.#sendTimes.get(target) ?? []).filter((t) => now - t < 1000);
    if (times.length >= perSecond) {
      this.#sendTimes.set(target, times);
      return true;
    }
    times.push(now);
    this.#sendTimes.set(target, times);
    return false;
  }

  #routes(): Hono {
    const app = new Hono();
    app.use("*", async (c, next) => {
      const fault = this.#faults.find(
        (f) =>
          f.times > 0 && (!f.path || f.path.test(c.req.path)) && (!f.method || f.method === c.req.method),
      );
      if (fault) {
        fault.times -= 1;
        this.faulted += 1;
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.status !== 200)
          return this.#fail(
            c,
            { status: fault.status, code: fault.code ?? fault.status, msg: fault.msg ?? "injected fault" },
            fault.headers,
          );
      }
      await next();
    });

    app.post("/open-apis/auth/v3/tenant_access_token/internal", async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { app_id?: string; app_secret?: string };
      if (body.app_id !== this.appId || body.app_secret !== this.appSecret)
        return this.#fail(c, { status: 400, code: 10014, msg: "app secret invalid" });
      const token = id("t-", 20);
      this.#tokens.set(token, Date.now() + TOKEN_TTL_S * 1000);
      this.#log("POST", c.req.path, 200, 0);
      return c.json({ code: 0, msg: "ok", tenant_access_token: token, expire: TOKEN_TTL_S });
    });

    app.post("/callback/ws/endpoint", async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { AppID?: string; AppSecret?: string };
      if (body.AppID !== this.appId || body.AppSecret !== this.appSecret)
        return this.#answer(c, 200, { code: 1000040344, msg: "app id or secret invalid", data: {} });
      return this.#answer(c, 200, {
        code: 0,
        msg: "ok",
        data: { URL: this.ws.url(this.url), ClientConfig: WS_CLIENT_CONFIG },
      });
    });

    app.use("/open-apis/*", async (c, next) => {
      const auth = c.req.header("authorization") ?? "";
      const m = /^Bearer (\S+)$/.exec(auth);
      if (!m) return this.#fail(c, { status: 400, code: 99991661, msg: "missing access token" });
      const exp = this.#tokens.get(m[1]!);
      if (!exp || exp < Date.now())
        return this.#fail(c, { status: 400, code: 99991663, msg: "invalid access token" });
      const scope = scopeOf.find(([re]) => re.test(c.req.path))?.[1];
      if (scope && this.scopes && !this.scopes.has(scope))
        return this.#fail(c, {
          status: 400,
          code: 99991672,
          msg: `access denied; the app needs scope [${scope}]`,
        });
      await next();
    });

    app.get("/open-apis/bot/v3/info", (c) => {
      this.#log("GET", c.req.path, 200, 0);
      return c.json({
        code: 0,
        msg: "ok",
        bot: { open_id: this.botOpenId, app_name: this.botName, activate_status: 2 },
      });
    });

    app.post("/open-apis/im/v1/messages", async (c) => {
      const type = c.req.query("receive_id_type");
      const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
      const receive = String(body.receive_id ?? "");
      let chat: EmuChat | undefined;
      if (type === "chat_id") chat = this.chats.get(receive);
      else if (type === "open_id" || type === "user_id") {
        const user = [...this.users.values()].find(
          (u) => (type === "open_id" ? u.open_id : u.user_id) === receive,
        );
        if (!user) return this.#fail(c, { status: 400, code: 230001, msg: `invalid receive_id ${receive}` });
        if (user.unavailable)
          return this.#fail(c, { status: 400, code: 230013, msg: "user is outside the app's availability" });
        chat = this.p2pChat(user.open_id);
      } else return this.#fail(c, { status: 400, code: 230001, msg: "receive_id_type is required" });
      if (!chat) return this.#fail(c, { status: 400, code: 230001, msg: `no chat ${receive}` });
      return this.#send(c, chat, body);
    });

    app.post("/open-apis/im/v1/messages/:id/reply", async (c) => {
      const parent = this.messages.get(c.req.param("id"));
      if (!parent) return this.#fail(c, { status: 400, code: 230001, msg: "message not found" });
      if (parent.recalled) return this.#fail(c, { status: 400, code: 230011, msg: "message was recalled" });
      const chat = this.chats.get(parent.chat_id)!;
      const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
      return this.#send(c, chat, body, parent);
    });

    app.patch("/open-apis/im/v1/messages/:id", async (c) => {
      const m = this.messages.get(c.req.param("id"));
      if (!m) return this.#fail(c, { status: 400, code: 230001, msg: "message not found" });
      if (m.sender !== "bot")
        return this.#fail(c, { status: 400, code: 230012, msg: "the bot is not the sender" });
      if (m.recalled) return this.#fail(c, { status: 400, code: 230011, msg: "message was recalled" });
      if (m.msg_type !== "interactive")
        return this.#fail(c, { status: 400, code: 230001, msg: "only cards can be patched" });
      if (Date.now() - m.create_time > 14 * 86_400_000)
        return this.#fail(c, { status: 400, code: 230031, msg: "older than 14 days" });
      if (this.#throttled(`msg:${m.message_id}`))
        return this.#fail(c, { status: 400, code: 230020, msg: "message update rate limit" });
      const body = (await c.req.json().catch(() => ({}))) as { content?: unknown };
      if (typeof body.content !== "string")
        return this.#fail(c, { status: 400, code: 230001, msg: "content is required" });
      const parsed = parseCard(body.content);
      if (parsed.refusal) return this.#fail(c, parsed.refusal);
      const old = JSON.parse(m.content) as Record<string, unknown>;
      if (!updateMulti(old) || !updateMulti(parsed.card!))
        return this.#fail(c, {
          status: 400,
          code: 230001,
          msg: "update_multi must be true in the old and the new card",
        });
      if (old.schema === "2.0" && parsed.card!.schema !== "2.0")
        return this.#fail(c, { status: 400, code: 200830, msg: "a 2.0 card cannot become 1.0" });
      m.content = body.content;
      m.updates += 1;
      return this.#ok(c, {});
    });

    for (const kind of ["app", "sms", "phone"] as const) {
      app.patch(`/open-apis/im/v1/messages/:id/urgent_${kind}`, async (c) => {
        if (!c.req.query("user_id_type"))
          return this.#fail(c, { status: 400, code: 230001, msg: "user_id_type is required" });
        const m = this.messages.get(c.req.param("id"));
        if (!m) return this.#fail(c, { status: 400, code: 230001, msg: "message not found" });
        if (m.sender !== "bot")
          return this.#fail(c, { status: 400, code: 230012, msg: "only bot messages can be buzzed" });
        const chat = this.chats.get(m.chat_id)!;
        if (!chat.allowBuzz)
          return this.#fail(c, { status: 400, code: 230027, msg: "the group does not allow buzz" });
        const body = (await c.req.json().catch(() => ({}))) as { user_id_list?: unknown };
        const list = Array.isArray(body.user_id_list) ? body.user_id_list.map(String) : [];
        if (list.length === 0)
          return this.#fail(c, { status: 400, code: 230001, msg: "user_id_list is empty" });
        const invalid = list.filter(
          (u) => !this.users.has(u) || !(chat.members.has(u) || chat.type === "p2p"),
        );
        if (invalid.length === list.length)
          return this.#fail(c, { status: 400, code: 230001, msg: "every user id is invalid" });
        this.urgent.push({ message_id: m.message_id, kind, user_ids: list, invalid });
        return this.#ok(c, { invalid_user_id_list: invalid });
      });
    }

    app.post("/open-apis/interactive/v1/card/update", async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { token?: string; card?: unknown };
      const t = body.token ? this.#updateTokens.get(body.token) : undefined;
      if (!t || t.expires < Date.now() || t.uses >= 2)
        return this.#fail(c, { status: 400, code: 200750, msg: "invalid or expired card update token" });
      const parsed = parseCard(JSON.stringify(body.card ?? null));
      if (parsed.refusal) return this.#fail(c, parsed.refusal);
      t.uses += 1;
      const m = this.messages.get(t.message)!;
      m.content = JSON.stringify(body.card);
      m.updates += 1;
      return this.#ok(c, {});
    });

    app.get("/open-apis/contact/v3/users/:id", (c) => {
      const type = c.req.query("user_id_type") ?? "open_id";
      const key = c.req.param("id");
      const user = [...this.users.values()].find((u) => (type === "user_id" ? u.user_id : u.open_id) === key);
      if (!user)
        return this.#fail(c, { status: 400, code: 41050, msg: "no user authority / user not found" });
      return this.#ok(c, {
        user: {
          open_id: user.open_id,
          user_id: user.user_id,
          union_id: user.union_id,
          name: user.name,
          department_ids: user.department_ids,
          status: { is_resigned: false, is_activated: true },
        },
      });
    });

    app.get("/open-apis/contact/v3/departments/:id", (c) => {
      const dep = this.departments.get(c.req.param("id"));
      if (!dep) return this.#fail(c, { status: 400, code: 40015, msg: "department not found" });
      if (dep.outOfScope)
        return this.#fail(c, { status: 403, code: 40004, msg: "department outside the contact scope" });
      return this.#ok(c, {
        department: {
          name: dep.name,
          open_department_id: dep.open_department_id,
          parent_department_id: dep.parent_department_id,
          leader_user_id: dep.leader_user_id,
          leaders: dep.leader_user_id ? [{ leaderType: 1, leaderID: dep.leader_user_id }] : [],
          status: { is_deleted: false },
        },
      });
    });

    app.all("*", (c) =>
      this.#fail(c, { status: 404, code: 404, msg: `no route ${c.req.method} ${c.req.path}` }),
    );
    return app;
  }

  #send(c: Context, chat: EmuChat, body: Record<string, unknown>, parent?: EmuMessage) {
    if (chat.type === "group" && !chat.botIn)
      return this.#fail(c, { status: 400, code: 230002, msg: "the bot is not in the chat" });
    const refusal = checkContent(body.msg_type, body.content);
    if (refusal) return this.#fail(c, refusal);
    const uuid = typeof body.uuid === "string" ? body.uuid : undefined;
    if (uuid !== undefined && uuid.length > 50)
      return this.#fail(c, { status: 400, code: 230001, msg: "uuid longer than 50" });
    const seen = uuid ? this.#uuids.get(uuid) : undefined;
    if (seen && Date.now() - seen.at < 3_600_000) return this.#ok(c, this.#view(this.messages.get(seen.id)!));
    if (this.appSendsPerSecond !== undefined && this.#throttled("app", this.appSendsPerSecond))
      return this.#fail(
        c,
        { status: 429, code: 99991400, msg: "request trigger frequency limit" },
        { "x-ogw-ratelimit-limit": String(this.appSendsPerSecond), "x-ogw-ratelimit-reset": "1" },
      );
    if (this.#throttled(`chat:${chat.chat_id}`))
      return this.#fail(c, { status: 400, code: 230020, msg: "too many messages to this chat" });
    const message: EmuMessage = {
      message_id: id("om_", 16),
      chat_id: chat.chat_id,
      sender: "bot",
      msg_type: String(body.msg_type),
      content: String(body.content),
      create_time: Date.now(),
      ...(parent ? { root_id: parent.root_id ?? parent.message_id, parent_id: parent.message_id } : {}),
      uuid,
      updates: 0,
      recalled: false,
    };
    this.messages.set(message.message_id, message);
    if (uuid) this.#uuids.set(uuid, { id: message.message_id, at: Date.now() });
    return this.#ok(c, this.#view(message));
  }

  #view(m: EmuMessage) {
    return {
      message_id: m.message_id,
      root_id: m.root_id,
      parent_id: m.parent_id,
      msg_type: m.msg_type,
      create_time: String(m.create_time),
      update_time: String(m.create_time),
      chat_id: m.chat_id,
      sender: { id: this.appId, id_type: "app_id", sender_type: "app", tenant_key: this.tenantKey },
      body: { content: m.content },
    };
  }
}
