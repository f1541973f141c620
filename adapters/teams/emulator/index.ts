import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { adaptiveCardEvents } from "../../../cards/validate/teams.ts";
import type { Clock } from "../../../core/ports.ts";
import { systemClock } from "../../../core/ports.ts";
import { type ConversationState, EmulatedConnector, type EmulatedUser } from "./connector.ts";
import { EmulatedIssuer } from "./issuer.ts";

export type { EmulatedUser, StoredActivity } from "./connector.ts";
export type { BadToken } from "./issuer.ts";

/** Teams' budget for answering a card invoke. */
export const INVOKE_BUDGET_MS = 5000;
const INVOKE_TYPES = new Set([
  "application/vnd.microsoft.card.adaptive",
  "application/vnd.microsoft.activity.message",
  "application/vnd.microsoft.error",
  "application/vnd.microsoft.activity.loginRequest",
  "application/vnd.microsoft.error.preconditionFailed",
]);

export interface SendResult {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a bot's answer is read field by field
  readonly body: any;
  readonly ms: number;
}

export interface InvokeResult extends SendResult {
  /** What Teams would reject in the answer ("Unable to reach app"); empty when it is fine. */
  readonly problems: readonly string[];
}

export interface TeamsEmulatorOptions {
  readonly appId?: string;
  readonly appPassword?: string;
  readonly tenantId?: string;
  readonly clock?: Clock;
}

/**
 * The local Teams (tests and playground): Microsoft's token issuer, the Bot Connector, and the Teams client
 * that drives our bot with signed activities and invokes, timing the invoke answers.
 */
export class TeamsEmulator {
  readonly appId: string;
  readonly appPassword: string;
  readonly tenantId: string;
  readonly issuer: EmulatedIssuer;
  readonly connector: EmulatedConnector;
  /** Where activities are posted (our bot's POST /teams/messages). */
  botUrl = "";
  /** Instead of HTTP to botUrl, hand the signed request to this (the playground calls the app in-process). */
  transport?: (request: Request) => Promise<Response>;
  #server: ReturnType<typeof serve> | undefined;
  #base = "";

  constructor(o: TeamsEmulatorOptions = {}) {
    this.appId = o.appId ?? randomUUID();
    this.appPassword = o.appPassword ?? `secret-${randomUUID()}`;
    this.tenantId = o.tenantId ?? randomUUID();
    this.issuer = new EmulatedIssuer({
      appId: this.appId,
      appPassword: this.appPassword,
      tenantId: this.tenantId,
      clock: o.clock ?? systemClock,
    });
    this.connector = new EmulatedConnector(this.issuer);
  }

  async start(): Promise<this> {
    await this.issuer.init();
    const app = new Hono();
    app.all("/teams/*", (c) => this.connector.handle(c));
    app.route(
      "/",
      this.issuer.routes(() => this.#base),
    );
    await new Promise<void>((resolve) => {
      this.#server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
    });
    const port = (this.#server!.address() as AddressInfo).port;
    this.#base = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  get base(): string {
    return this.#base;
  }

  get serviceUrl(): string {
    return `${this.#base}/teams/`;
  }

  /** The TEAMS_* environment that points the adapter at this emulator. */
  env(publicUrl: string | undefined = "https://closeloop.example.com"): Record<string, string> {
    return {
      TEAMS_APP_ID: this.appId,
      TEAMS_APP_PASSWORD: this.appPassword,
      TEAMS_TENANT_ID: this.tenantId,
      TEAMS_OPENID_METADATA_URL: `${this.#base}/v1/.well-known/openidconfiguration`,
      TEAMS_LOGIN_URL: this.#base,
      TEAMS_SERVICE_URL: this.serviceUrl,
      ...(publicUrl ? { TEAMS_PUBLIC_URL: publicUrl } : {}),
    };
  }

  addUser(u: { aadObjectId: string; name: string; blocked?: boolean }): EmulatedUser {
    const user: EmulatedUser = { id: `29:1${u.aadObjectId.replace(/-/g, "")}`, ...u };
    this.connector.users.set(u.aadObjectId, user);
    return user;
  }

  /** A channel in a team; each root message starts a thread whose conversation id names it. */
  channel(name = "Support"): { id: string; name: string; teamId: string } {
    return {
      id: `19:${randomUUID().replace(/-/g, "")}@thread.tacv2`,
      name,
      teamId: `19:${randomUUID().replace(/-/g, "")}@thread.tacv2`,
    };
  }

  #conversation(id: string, type: ConversationState["type"], user?: string): ConversationState {
    return this.connector.conversation(id, type, user);
  }

  #activity(from: EmulatedUser, conversation: Record<string, unknown>, extra: Record<string, unknown>) {
    return {
      id: `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
      timestamp: new Date().toISOString(),
      serviceUrl: this.serviceUrl,
      channelId: "msteams",
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      recipient: { id: `28:${this.appId}`, name: "closeloop" },
      conversation: { tenantId: this.tenantId, ...conversation },
      channelData: { tenant: { id: this.tenantId } },
      locale: "zh-CN",
      ...extra,
    } as unknown as Record<string, unknown> & { id: string; conversation: { id: string } };
  }

  /** A root message in a channel that @mentions the bot (the only kind a channel bot receives). */
  channelMessage(
    from: EmulatedUser,
    channel: { id: string; name: string; teamId: string },
    text: string,
    mentions: EmulatedUser[] = [],
  ) {
    const id = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    const conversationId = `${channel.id};messageid=${id}`;
    const botAt = "<at>closeloop</at>";
    const html = `<p>${botAt} ${text}</p>`;
    const a = this.#activity(
      from,
      { id: conversationId, conversationType: "channel", isGroup: true, name: channel.name },
      {
        id,
        type: "message",
        text: html,
        textFormat: "xml",
        entities: [
          { type: "mention", text: botAt, mentioned: { id: `28:${this.appId}`, name: "closeloop" } },
          ...mentions.map((m) => ({
            type: "mention",
            text: `<at>${m.name}</at>`,
            mentioned: { id: m.id, name: m.name, aadObjectId: m.aadObjectId },
          })),
          { type: "clientInfo", locale: "zh-CN", platform: "Web" },
        ],
        channelData: {
          tenant: { id: this.tenantId },
          team: { id: channel.teamId },
          channel: { id: channel.id, name: channel.name },
        },
      },
    );
    const conv = this.#conversation(conversationId, "channel");
    conv.activities.set(id, { id, activity: a, by: "user", updates: 0, at: Date.now() });
    return a;
  }

  /** A message in the person's 1:1 chat with the bot. */
  personalMessage(from: EmulatedUser, text: string) {
    const conversationId = `a:1${from.aadObjectId.replace(/-/g, "")}`;
    const a = this.#activity(
      from,
      { id: conversationId, conversationType: "personal" },
      { type: "message", text, textFormat: "plain" },
    );
    this.#conversation(conversationId, "personal", from.aadObjectId).activities.set(a.id, {
      id: a.id,
      activity: a,
      by: "user",
      updates: 0,
      at: Date.now(),
    });
    return a;
  }

  /** The bot installed somewhere (personal, team or group): conversationUpdate with the bot among membersAdded. */
  installed(
    from: EmulatedUser,
    conversationId: string,
    conversationType: "personal" | "channel" | "groupChat",
  ) {
    this.#conversation(
      conversationId,
      conversationType,
      conversationType === "personal" ? from.aadObjectId : undefined,
    );
    return this.#activity(
      from,
      { id: conversationId, conversationType },
      {
        type: "conversationUpdate",
        membersAdded: [{ id: `28:${this.appId}` }, { id: from.id, aadObjectId: from.aadObjectId }],
      },
    );
  }

  /** A click on an Action.Execute button of a message the bot posted. */
  execute(
    from: EmulatedUser,
    conversationId: string,
    cardActivityId: string,
    verb: string,
    data: Record<string, unknown>,
  ) {
    return this.#activity(
      from,
      { id: conversationId },
      {
        type: "invoke",
        name: "adaptiveCard/action",
        replyToId: cardActivityId,
        value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
      },
    );
  }

  /** Posts an activity to the bot with a good token (or the Authorization given; null for none). */
  async send(activity: object, authorization?: string | null): Promise<SendResult> {
    const a = activity as { serviceUrl: string };
    const auth =
      authorization === undefined ? `Bearer ${await this.issuer.channelToken(a.serviceUrl)}` : authorization;
    const started = performance.now();
    const request = new Request(this.botUrl || "http://closeloop.invalid/teams/messages", {
      method: "POST",
      headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
      body: JSON.stringify(activity),
    });
    const res = this.transport ? await this.transport(request) : await fetch(request);
    const text = await res.text();
    const ms = performance.now() - started;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body, ms };
  }

  /** Sends an invoke and checks the answer as Teams does: in time, HTTP 200, a well-formed invoke response. */
  async invoke(activity: object): Promise<InvokeResult> {
    const r = await this.send(activity);
    const problems: string[] = [];
    if (r.ms > INVOKE_BUDGET_MS)
      problems.push(`answered in ${Math.round(r.ms)} ms, over the ${INVOKE_BUDGET_MS} ms budget`);
    if (r.status !== 200) problems.push(`HTTP ${r.status}`);
    const b = r.body as { statusCode?: unknown; type?: unknown; value?: unknown } | undefined;
    if (typeof b?.statusCode !== "number") problems.push("statusCode missing or not a number");
    if (typeof b?.type !== "string" || !INVOKE_TYPES.has(b.type))
      problems.push(`unknown type ${String(b?.type)}`);
    if (b?.type === "application/vnd.microsoft.card.adaptive") {
      const card = b.value as { type?: unknown; version?: unknown } | undefined;
      if (card?.type !== "AdaptiveCard" || card.version !== "1.5")
        problems.push("value is not an Adaptive Card 1.5");
      else problems.push(...adaptiveCardEvents(card));
    }
    return { ...r, problems };
  }

  /** Every bad token on the reference's list, for an activity from this emulator. */
  badTokens() {
    return this.issuer.badTokens(this.serviceUrl);
  }

  ssoToken(o: Parameters<EmulatedIssuer["ssoToken"]>[0]) {
    return this.issuer.ssoToken(o, this.#base);
  }
}
