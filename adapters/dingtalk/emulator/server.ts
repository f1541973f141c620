import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../../core/ports.ts";
import {
  type ApiName,
  type EmuResponse,
  type FailureKind,
  type FailureSwitch,
  failureResponse,
  newApiError,
  ok,
  oldApiError,
} from "./errors.ts";
import { Gateway, type PendingFrame } from "./gateway.ts";
import {
  type Ding,
  type EmuCard,
  type EmuDepartment,
  type EmuGroup,
  type EmuUser,
  MSG_KEYS,
  mentionsOf,
  messageBodyError,
  paramMapError,
  parseSpaces,
  type SentMessage,
  textOf,
} from "./openapi.ts";

export interface EmulatorOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The app robot's code; default the client id. */
  readonly robotCode?: string;
  readonly corpId?: string;
  readonly templates?: readonly string[];
  readonly users?: readonly EmuUser[];
  readonly departments?: readonly EmuDepartment[];
  readonly groups?: readonly EmuGroup[];
  /** DING needs a paid edition; false answers every DING with the permission error. */
  readonly dingEdition?: boolean;
  /** SMS / phone DINGs left this month. */
  readonly dingQuota?: number;
  readonly clock?: Clock;
  /** Unacknowledged frames go again after this long (DingTalk: tens of seconds). */
  readonly redeliverAfterMs?: number;
  readonly disconnectCloseAfterMs?: number;
  /** How long a card click waits for its answer (DingTalk: 2 s). */
  readonly cardAnswerBudgetMs?: number;
  readonly port?: number;
}

interface Session {
  readonly conversationId: string;
  readonly expiresAt: number;
}

/** What a card click got back within the budget: the answer applied to the card, or nothing. */
export interface ClickOutcome {
  readonly answered: boolean;
  readonly response?: Record<string, unknown>;
  readonly frame: PendingFrame;
}

const WEBHOOK_EXPIRED = 300_001;

/**
 * A local DingTalk on 127.0.0.1 for the tests and the playground: tokens, the stream gateway, robot
 * messages (session webhooks, group and 1:1 sends), interactive cards, DING and the org's departments,
 * each with DingTalk's validation rules and error envelopes, plus failure switches.
 */
export class DingTalkEmulator {
  readonly o: EmulatorOptions;
  readonly #now: () => number;
  readonly gateway: Gateway;
  #server?: Server;
  url = "";
  readonly tokens = new Map<string, number>();
  readonly sessions = new Map<string, Session>();
  readonly cards = new Map<string, EmuCard>();
  readonly messages: SentMessage[] = [];
  readonly dings: Ding[] = [];
  readonly failures: FailureSwitch[] = [];
  /** Calls per route, whatever their outcome. */
  readonly calls: Record<string, number> = {};
  /** Every refusal the emulator answered, as `route code`. */
  readonly refusals: string[] = [];
  dingEdition: boolean;
  dingQuota: number;
  /** While above 0, every OpenAPI call waits this long before it is answered (a platform that hangs). */
  hangMs = 0;
  /** How many calls were held by hangMs, and how many failure switches answered. */
  hung = 0;
  failed = 0;
  #seq = 0;

  constructor(o: EmulatorOptions) {
    this.o = o;
    this.#now = () => (o.clock ?? { now: () => new Date() }).now().getTime();
    this.dingEdition = o.dingEdition ?? true;
    this.dingQuota = o.dingQuota ?? 100;
    this.gateway = new Gateway({
      now: this.#now,
      appId: randomUUID(),
      redeliverAfterMs: o.redeliverAfterMs ?? 15_000,
      disconnectCloseAfterMs: o.disconnectCloseAfterMs ?? 10_000,
    });
  }

  get robotCode(): string {
    return this.o.robotCode ?? this.o.clientId;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.on("upgrade", (req, socket, head) => this.gateway.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(this.o.port ?? 0, "127.0.0.1", resolve));
    this.#server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.gateway.close();
    await new Promise<void>((resolve) => {
      this.#server?.closeAllConnections();
      this.#server ? this.#server.close(() => resolve()) : resolve();
    });
  }

  /** The next `times` calls of `api` fail with `kind` (QPS limit, global QPS limit, or 5xx). */
  fail(api: ApiName | "any", kind: FailureKind, times = 1): void {
    this.failures.push({ api, kind, times });
  }

  // ---- pushing what people do in DingTalk -------------------------------------------------------------

  /** Someone @-mentions the robot in a group (conversationType 2) or writes to it 1:1 (1). */
  robotMessage(m: {
    conversationId: string;
    senderUserId: string;
    senderNick?: string;
    text: string;
    conversationType?: "1" | "2";
    msgId?: string;
  }): { msgId: string; frame: PendingFrame; data: Record<string, unknown> } {
    const data = this.robotMessageData(m);
    const frame = this.gateway.push("CALLBACK", "/v1.0/im/bot/messages/get", data);
    return { msgId: String(data.msgId), frame, data };
  }

  /** The robot message payload as DingTalk sends it (also the HTTP-mode callback body). */
  robotMessageData(m: {
    conversationId: string;
    senderUserId: string;
    senderNick?: string;
    text: string;
    conversationType?: "1" | "2";
    msgId?: string;
  }): Record<string, unknown> {
    const msgId = m.msgId ?? `msg${randomUUID().replace(/-/g, "")}`;
    const session = randomUUID().replace(/-/g, "");
    const createAt = this.#now();
    const expiresAt = createAt + 90 * 60_000;
    this.sessions.set(session, { conversationId: m.conversationId, expiresAt });
    const type = m.conversationType ?? "2";
    return {
      msgId,
      conversationId: m.conversationId,
      conversationType: type,
      conversationTitle: this.o.groups?.find((g) => g.openConversationId === m.conversationId)?.title ?? "",
      msgtype: "text",
      text: { content: ` ${m.text}` },
      senderStaffId: m.senderUserId,
      senderNick: m.senderNick ?? this.#user(m.senderUserId)?.name ?? m.senderUserId,
      senderId: `$:LWCP_v1:$${m.senderUserId}`,
      senderCorpId: this.o.corpId ?? "dingcorp",
      isAdmin: false,
      isInAtList: type === "2",
      atUsers: [],
      chatbotUserId: `$:LWCP_v1:$robot`,
      chatbotCorpId: this.o.corpId ?? "dingcorp",
      robotCode: this.robotCode,
      sessionWebhook: `${this.url}/robot/sendBySession?session=${session}`,
      sessionWebhookExpiredTime: expiresAt,
      createAt,
    };
  }

  /** Someone presses a button on a card: a CALLBACK frame; resolves with the answer applied to the card. */
  async clickCard(c: {
    outTrackId: string;
    userId: string;
    params: Record<string, unknown>;
    actionId?: string;
  }): Promise<ClickOutcome> {
    const card = this.cards.get(c.outTrackId);
    if (!card) throw new Error(`no card ${c.outTrackId}`);
    if (card.callbackType !== "STREAM")
      throw new Error(`card ${c.outTrackId} was not created with callbackType STREAM`);
    const space = parseSpaces(`dtv1.card//${card.spaces[0]}`)![0]!;
    const frame = this.gateway.push("CALLBACK", "/v1.0/card/instances/callback", {
      type: "actionCallback",
      outTrackId: c.outTrackId,
      corpId: this.o.corpId ?? "dingcorp",
      userId: c.userId,
      userIdType: 1,
      spaceType: space.type,
      spaceId: space.id,
      extension: "{}",
      content: JSON.stringify({ cardPrivateData: { actionIds: [c.actionId ?? "button"], params: c.params } }),
    });
    const response = (await this.gateway.waitForAck(frame.messageId, this.o.cardAnswerBudgetMs ?? 2000)) as
      | Record<string, unknown>
      | undefined;
    if (response === undefined) return { answered: false, frame };
    this.#applyAnswer(card, c.userId, response);
    return { answered: true, response, frame };
  }

  #applyAnswer(card: EmuCard, userId: string, r: Record<string, unknown>): void {
    const opts = (r.cardUpdateOptions ?? {}) as Record<string, unknown>;
    const cardData = r.cardData as { cardParamMap?: Record<string, string> } | undefined;
    if (cardData?.cardParamMap && !paramMapError(cardData.cardParamMap, "cardData.cardParamMap")) {
      card.cardParamMap = opts.updateCardDataByKey
        ? { ...card.cardParamMap, ...cardData.cardParamMap }
        : { ...cardData.cardParamMap };
      card.updates++;
      card.history.push({ via: "answer", cardParamMap: { ...card.cardParamMap } });
    }
    const priv = r.userPrivateData as { cardParamMap?: Record<string, string> } | undefined;
    if (priv?.cardParamMap && !paramMapError(priv.cardParamMap, "userPrivateData.cardParamMap")) {
      card.privateData[userId] = opts.updatePrivateDataByKey
        ? { ...card.privateData[userId], ...priv.cardParamMap }
        : { ...priv.cardParamMap };
    }
  }

  /** What `userId` sees on the card: the public data with their private data over it. */
  cardAsSeenBy(outTrackId: string, userId: string): Record<string, string> | undefined {
    const card = this.cards.get(outTrackId);
    return card && { ...card.cardParamMap, ...card.privateData[userId] };
  }

  /** Posts an HTTP-mode robot callback to `url`, signed as DingTalk signs it (or forged). */
  async postRobotCallback(
    url: string,
    data: Record<string, unknown>,
    opts: { secret?: string; timestamp?: number } = {},
  ): Promise<Response> {
    const timestamp = String(opts.timestamp ?? this.#now());
    const secret = opts.secret ?? this.o.clientSecret;
    const sign = createHmac("sha256", secret).update(`${timestamp}\n${secret}`).digest("base64");
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", timestamp, sign },
      body: JSON.stringify(data),
    });
  }

  // ---- HTTP --------------------------------------------------------------------------------------------

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, unknown> = {};
    let badJson = false;
    if (raw) {
      try {
        const parsed = JSON.parse(raw);
        body = typeof parsed === "object" && parsed !== null ? parsed : {};
      } catch {
        badJson = true;
      }
    }
    const route = `${req.method} ${url.pathname}`;
    this.calls[route] = (this.calls[route] ?? 0) + 1;
    if (this.hangMs > 0) {
      this.hung += 1;
      await new Promise((r) => setTimeout(r, this.hangMs));
    }
    let out: EmuResponse;
    if (badJson) out = newApiError(400, "InvalidParameter.Body", "body is not JSON");
    else out = this.#route(route, url, req, body);
    if (
      out.status !== 200 ||
      (typeof out.body === "object" &&
        out.body &&
        "errcode" in out.body &&
        (out.body as { errcode: number }).errcode !== 0)
    ) {
      const code =
        typeof out.body === "object" && out.body
          ? String(
              (out.body as Record<string, unknown>).code ?? (out.body as Record<string, unknown>).errcode,
            )
          : String(out.status);
      this.refusals.push(`${route} ${code}`);
    }
    res.writeHead(out.status, { "content-type": out.contentType ?? "application/json" });
    res.end(typeof out.body === "string" ? out.body : JSON.stringify(out.body));
  }

  #failure(api: ApiName, oldApi: boolean): EmuResponse | undefined {
    const f = this.failures.find((x) => (x.api === api || x.api === "any") && x.times > 0);
    if (!f) return undefined;
    f.times--;
    this.failed++;
    return failureResponse(f.kind, oldApi);
  }

  #route(route: string, url: URL, req: IncomingMessage, body: Record<string, unknown>): EmuResponse {
    switch (route) {
      case "POST /v1.0/oauth2/accessToken":
        return this.#failure("token", false) ?? this.#accessToken(body);
      case "GET /gettoken":
        return this.#oldToken(url);
      case "POST /v1.0/gateway/connections/open":
        return this.#failure("gateway", false) ?? this.#open(req, body);
      case "POST /robot/sendBySession":
        return this.#failure("robot.session", true) ?? this.#sendBySession(url, body);
    }
    const oldApi = url.pathname.startsWith("/topapi/");
    const auth = oldApi ? this.#oldAuth(url) : this.#newAuth(req);
    if (auth) return auth;
    switch (route) {
      case "POST /v1.0/robot/groupMessages/send":
        return this.#failure("robot.group", false) ?? this.#groupSend(body);
      case "POST /v1.0/robot/oToMessages/batchSend":
        return this.#failure("robot.o2o", false) ?? this.#o2oSend(body);
      case "POST /v1.0/card/instances/createAndDeliver":
        return this.#failure("card.create", false) ?? this.#createCard(body);
      case "PUT /v1.0/card/instances":
        return this.#failure("card.update", false) ?? this.#updateCard(body);
      case "POST /v1.0/robot/ding/send":
        return this.#failure("ding", false) ?? this.#ding(body);
      case "POST /topapi/v2/user/get":
        return this.#failure("org", true) ?? this.#userGet(body);
      case "POST /topapi/v2/department/get":
        return this.#failure("org", true) ?? this.#deptGet(body);
    }
    return newApiError(404, "NotFound", `no route ${route}`);
  }

  #issueToken(): { token: string; expiresAt: number } {
    const now = this.#now();
    for (const [token, expiresAt] of this.tokens) if (expiresAt > now + 60_000) return { token, expiresAt };
    const token = randomUUID().replace(/-/g, "");
    this.tokens.set(token, now + 7_200_000);
    return { token, expiresAt: now + 7_200_000 };
  }

  #accessToken(body: Record<string, unknown>): EmuResponse {
    if (body.appKey !== this.o.clientId || body.appSecret !== this.o.clientSecret)
      return newApiError(400, "invalidClientIdOrSecret", "无效的clientId或者clientSecret");
    const { token, expiresAt } = this.#issueToken();
    return ok({ accessToken: token, expireIn: Math.round((expiresAt - this.#now()) / 1000) });
  }

  #oldToken(url: URL): EmuResponse {
    if (
      url.searchParams.get("appkey") !== this.o.clientId ||
      url.searchParams.get("appsecret") !== this.o.clientSecret
    )
      return oldApiError(40089, "不合法的corpid或corpsecret");
    const { token, expiresAt } = this.#issueToken();
    return ok({
      errcode: 0,
      errmsg: "ok",
      access_token: token,
      expires_in: Math.round((expiresAt - this.#now()) / 1000),
    });
  }

  #newAuth(req: IncomingMessage): EmuResponse | undefined {
    const token = req.headers["x-acs-dingtalk-access-token"];
    if (typeof token !== "string" || token === "")
      return newApiError(
        400,
        "AuthenticationFailed.MissingParameter",
        "x-acs-dingtalk-access-token is required",
      );
    const exp = this.tokens.get(token);
    if (exp === undefined || exp <= this.#now())
      return newApiError(401, "InvalidAuthentication", "token invalid or expired");
    return undefined;
  }

  #oldAuth(url: URL): EmuResponse | undefined {
    const exp = this.tokens.get(url.searchParams.get("access_token") ?? "");
    if (exp === undefined || exp <= this.#now())
      return oldApiError(88, "鉴权异常", { sub_code: "40014", sub_msg: "不合法的access_token" });
    return undefined;
  }

  #open(req: IncomingMessage, body: Record<string, unknown>): EmuResponse {
    if (!String(req.headers.accept ?? "").includes("application/json"))
      return { status: 200, body: "<xml><code>MissingAccept</code></xml>", contentType: "application/xml" };
    if (body.clientId !== this.o.clientId || body.clientSecret !== this.o.clientSecret)
      return newApiError(401, "InvalidAuthentication", "clientId or clientSecret is wrong");
    const subs = body.subscriptions;
    if (
      !Array.isArray(subs) ||
      subs.length === 0 ||
      !subs.every((s) => ["EVENT", "CALLBACK"].includes(s?.type) && typeof s?.topic === "string" && s.topic)
    )
      return newApiError(
        400,
        "InvalidParameter.Subscriptions",
        "subscriptions must be [{type: EVENT|CALLBACK, topic}]",
      );
    const ticket = this.gateway.issueTicket(subs as { type: string; topic: string }[]);
    return ok({ endpoint: `${this.url.replace(/^http/, "ws")}/connect`, ticket });
  }

  #record(
    via: SentMessage["via"],
    target: string,
    msgtype: string,
    text: string,
    at: unknown,
    body: Record<string, unknown>,
  ): SentMessage {
    const { mentioned, half } = mentionsOf(text, at);
    const m: SentMessage = {
      via,
      target,
      msgtype,
      text,
      mentioned,
      halfMentions: half,
      body,
      seq: ++this.#seq,
      at: this.#now(),
    };
    this.messages.push(m);
    return m;
  }

  #sendBySession(url: URL, body: Record<string, unknown>): EmuResponse {
    const session = this.sessions.get(url.searchParams.get("session") ?? "");
    if (!session) return oldApiError(WEBHOOK_EXPIRED, "session webhook is invalid");
    if (session.expiresAt <= this.#now()) return oldApiError(WEBHOOK_EXPIRED, "session webhook expired");
    const error = messageBodyError(body);
    if (error) return oldApiError(40035, `invalid message: ${error}`);
    this.#record("session", session.conversationId, String(body.msgtype), textOf(body), body.at, body);
    return ok({ errcode: 0, errmsg: "ok" });
  }

  #msgParam(body: Record<string, unknown>): EmuResponse | Record<string, unknown> {
    if (body.robotCode !== this.robotCode)
      return newApiError(400, "invalidParameter.robotCode.notExist", "robotCode does not exist");
    const keys = MSG_KEYS[String(body.msgKey)];
    if (!keys) return newApiError(400, "invalidParameter.msgKey.invalid", "msgKey is invalid");
    if (typeof body.msgParam !== "string" || Buffer.byteLength(body.msgParam) > 15_000)
      return newApiError(
        400,
        "invalidParameter.msgParam.invalid",
        "msgParam must be a JSON string ≤ 15000 bytes",
      );
    let param: unknown;
    try {
      param = JSON.parse(body.msgParam);
    } catch {
      return newApiError(400, "invalidParameter.msgParam.invalid", "msgParam is not JSON");
    }
    const p = param as Record<string, unknown>;
    if (typeof p !== "object" || p === null || !keys.every((k) => typeof p[k] === "string"))
      return newApiError(400, "invalidParameter.msgParam.invalid", `msgParam needs ${keys.join(", ")}`);
    return { __param: p };
  }

  #groupSend(body: Record<string, unknown>): EmuResponse {
    const p = this.#msgParam(body);
    if ("status" in p) return p as EmuResponse;
    const group = this.o.groups?.find((g) => g.openConversationId === body.openConversationId);
    if (!group) return newApiError(400, "invalid.openConversationId", "openConversationId is invalid");
    if (group.robotIn === false) return newApiError(400, "robot.notInGroup", "the robot is not in the group");
    const param = p.__param as Record<string, string>;
    this.#record(
      "group",
      group.openConversationId,
      String(body.msgKey),
      param.text ?? param.content ?? "",
      undefined,
      { msgKey: body.msgKey, msgParam: param },
    );
    return ok({ processQueryKey: randomUUID() });
  }

  #o2oSend(body: Record<string, unknown>): EmuResponse {
    const p = this.#msgParam(body);
    if ("status" in p) return p as EmuResponse;
    const ids = body.userIds;
    if (!Array.isArray(ids) || ids.length === 0)
      return newApiError(400, "invalidParameter.userIds.empty", "userIds is required");
    if (ids.length > 20) return newApiError(400, "invalidParameter.userIds.overMax", "at most 20 userIds");
    const param = p.__param as Record<string, string>;
    const invalid = ids.filter((id) => !this.#user(String(id)));
    for (const id of ids.filter((i) => !invalid.includes(i)))
      this.#record("o2o", String(id), String(body.msgKey), param.text ?? param.content ?? "", undefined, {
        msgKey: body.msgKey,
        msgParam: param,
      });
    return ok({ processQueryKey: randomUUID(), invalidStaffIdList: invalid, flowControlledStaffIdList: [] });
  }

  #user(id: string): EmuUser | undefined {
    return this.o.users?.find((u) => u.userId === id);
  }

  #createCard(body: Record<string, unknown>): EmuResponse {
    if (!(this.o.templates ?? []).includes(String(body.cardTemplateId)))
      return newApiError(400, "param.templateNotExist", "card template does not exist");
    const outTrackId = body.outTrackId;
    if (typeof outTrackId !== "string" || outTrackId === "" || outTrackId.length > 128)
      return newApiError(400, "param.outTrackIdInvalid", "outTrackId is required");
    if (this.cards.has(outTrackId)) return newApiError(400, "param.cardAlreadyExist", "card already exists");
    const cardData = body.cardData as { cardParamMap?: unknown } | undefined;
    const bad = paramMapError(cardData?.cardParamMap, "cardData.cardParamMap");
    if (bad) return bad;
    const spaces = parseSpaces(body.openSpaceId);
    if (!spaces) return newApiError(400, "param.openSpaceIdInvalid", "openSpaceId is invalid");
    const group = body.imGroupOpenDeliverModel as Record<string, unknown> | undefined;
    const robot = body.imRobotOpenDeliverModel as Record<string, unknown> | undefined;
    const atUserIds = (group?.atUserIds ?? {}) as Record<string, string>;
    for (const s of spaces) {
      const model = s.type === "IM_GROUP" ? group : s.type === "IM_ROBOT" ? robot : {};
      if (!model) return newApiError(400, "param.openDeliverModelEmpty", `${s.type} needs its deliver model`);
      if ((s.type === "IM_GROUP" || s.type === "IM_ROBOT") && model.robotCode !== this.robotCode)
        return newApiError(400, "invalidParameter.robotCode.notExist", "robotCode does not exist");
      if (s.type === "IM_ROBOT" && robot?.spaceType !== "IM_ROBOT")
        return newApiError(
          400,
          "param.openDeliverModelInvalid",
          "imRobotOpenDeliverModel.spaceType must be IM_ROBOT",
        );
    }
    if (typeof atUserIds !== "object" || Object.values(atUserIds).some((v) => typeof v !== "string"))
      return newApiError(400, "param.atUserIdsInvalid", "atUserIds maps userId to name");
    const map = cardData!.cardParamMap as Record<string, string>;
    const written = new Set<string>();
    for (const v of Object.values(map)) for (const m of v.matchAll(/<a atId=([^>\s]+)>/g)) written.add(m[1]!);
    const hasGroup = spaces.some((s) => s.type === "IM_GROUP");
    const silent = hasGroup && !("@ALL" in atUserIds) ? [...written].filter((id) => !(id in atUserIds)) : [];
    const deliverResults = spaces.map((s) => {
      const g = s.type === "IM_GROUP" ? this.o.groups?.find((x) => x.openConversationId === s.id) : undefined;
      const okSpace =
        s.type === "IM_GROUP"
          ? !!g && g.robotIn !== false
          : s.type === "IM_ROBOT"
            ? !!this.#user(s.id)
            : true;
      return {
        spaceType: s.type,
        spaceId: s.id,
        success: okSpace,
        carrierId: okSpace ? randomUUID() : "",
        errorMsg: okSpace ? "" : s.type === "IM_GROUP" ? "robot not in group" : "user not found",
      };
    });
    this.cards.set(outTrackId, {
      outTrackId,
      templateId: String(body.cardTemplateId),
      callbackType: typeof body.callbackType === "string" ? body.callbackType : undefined,
      spaces: spaces.filter((_, i) => deliverResults[i]!.success).map((s) => `${s.type}.${s.id}`),
      cardParamMap: { ...map },
      privateData: {},
      atUserIds,
      silentMentions: silent,
      updates: 0,
      history: [{ via: "create", cardParamMap: { ...map } }],
      seq: ++this.#seq,
      at: this.#now(),
    });
    return ok({ success: true, result: { outTrackId, deliverResults } });
  }

  #updateCard(body: Record<string, unknown>): EmuResponse {
    const card = this.cards.get(String(body.outTrackId));
    if (!card) return newApiError(400, "param.cardNotExist", "card does not exist");
    const cardData = body.cardData as { cardParamMap?: unknown } | undefined;
    const priv = body.privateData as Record<string, { cardParamMap?: unknown }> | undefined;
    if (!cardData && !priv)
      return newApiError(
        400,
        "param.cardDataAndPrivateDataBothEmpty",
        "cardData and privateData are both empty",
      );
    if (cardData) {
      const bad = paramMapError(cardData.cardParamMap, "cardData.cardParamMap");
      if (bad) return bad;
    }
    for (const [u, d] of Object.entries(priv ?? {})) {
      const bad = paramMapError(d?.cardParamMap, `privateData.${u}.cardParamMap`);
      if (bad) return bad;
    }
    const opts = (body.cardUpdateOptions ?? {}) as Record<string, unknown>;
    if (cardData) {
      const map = cardData.cardParamMap as Record<string, string>;
      card.cardParamMap = opts.updateCardDataByKey ? { ...card.cardParamMap, ...map } : { ...map };
      card.history.push({ via: "update", cardParamMap: { ...card.cardParamMap } });
    }
    for (const [u, d] of Object.entries(priv ?? {})) {
      const map = d.cardParamMap as Record<string, string>;
      card.privateData[u] = opts.updatePrivateDataByKey ? { ...card.privateData[u], ...map } : { ...map };
    }
    card.updates++;
    return ok({ success: true, result: true });
  }

  #ding(body: Record<string, unknown>): EmuResponse {
    if (body.robotCode !== this.robotCode)
      return newApiError(400, "invalidParameter.robotCode.notExist", "robotCode does not exist");
    const type = Number(body.remindType);
    if (![1, 2, 3].includes(type))
      return newApiError(400, "invalidParameter.remindType", "remindType is 1, 2 or 3");
    const receivers = body.receiverUserIdList;
    if (!Array.isArray(receivers) || receivers.length === 0)
      return newApiError(400, "invalidParameter.receiverUserIdList", "receiverUserIdList is required");
    if (receivers.length > (type === 1 ? 200 : 20))
      return newApiError(400, "ding.receivercount.limit", "too many receivers");
    if (typeof body.content !== "string" || body.content === "")
      return newApiError(400, "invalidParameter.content", "content is required");
    if (!this.dingEdition)
      return newApiError(
        403,
        "Forbidden.AccessDenied.AccessTokenPermissionDenied",
        "no permission: Premium.Ding.Write",
        {
          accessdenieddetail: { requiredScopes: ["Premium.Ding.Write"] },
        },
      );
    if (type !== 1) {
      if (this.dingQuota < receivers.length)
        return newApiError(400, "ding.serverquota.insufficient", "DING quota is insufficient");
      this.dingQuota -= receivers.length;
    }
    this.dings.push({ remindType: type, receivers: receivers.map(String), content: body.content });
    return ok({ openDingId: randomUUID(), failedList: {} });
  }

  #userGet(body: Record<string, unknown>): EmuResponse {
    const u = this.#user(String(body.userid));
    if (!u) return oldApiError(60121, "找不到该用户");
    const leaderIn = (this.o.departments ?? [])
      .filter((d) => d.managers.includes(u.userId))
      .map((d) => d.deptId);
    return ok({
      errcode: 0,
      errmsg: "ok",
      result: {
        userid: u.userId,
        name: u.name,
        dept_id_list: u.deptIds ?? [1],
        leader_in_dept: (u.deptIds ?? []).map((d) => ({ dept_id: d, leader: leaderIn.includes(d) })),
      },
    });
  }

  #deptGet(body: Record<string, unknown>): EmuResponse {
    const id = Number(body.dept_id);
    const d = (this.o.departments ?? []).find((x) => x.deptId === id);
    if (!d) return oldApiError(60003, "部门不存在");
    return ok({
      errcode: 0,
      errmsg: "ok",
      result: {
        dept_id: d.deptId,
        name: d.name,
        ...(d.parentId !== undefined ? { parent_id: d.parentId } : {}),
        dept_manager_userid_list: [...d.managers],
      },
    });
  }
}
