import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import { adaptiveCardEvents } from "../../../cards/validate/teams.ts";
import type { EmulatedIssuer } from "./issuer.ts";

export interface EmulatedUser {
  readonly aadObjectId: string;
  /** The bot-specific id, "29:...". */
  readonly id: string;
  readonly name: string;
  /** Blocked the bot or removed the app: writes to their 1:1 chat get 403 MessageWritesBlocked. */
  blocked?: boolean;
}

export interface StoredActivity {
  readonly id: string;
  readonly activity: Record<string, unknown>;
  /** "user" for activities the emulator sent the bot, "bot" for the bot's posts. */
  readonly by: "user" | "bot";
  /** How many times the bot replaced it with PUT. */
  updates: number;
  /** When it was stored (ms since the epoch, wall clock): for showing a chat in order. */
  readonly at?: number;
}

export interface ConversationState {
  readonly id: string;
  readonly type: "personal" | "channel" | "groupChat";
  /** For 1:1 chats: whose. */
  readonly user?: string;
  readonly activities: Map<string, StoredActivity>;
}

export interface ConnectorCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly conversationId?: string;
  readonly code?: string;
  readonly at: number;
}

/** A scripted answer for the next matching sends (429/412/502/504...), consumed one per call. */
export interface Fault {
  readonly status: number;
  readonly retryAfterS?: number;
  remaining: number;
}

/** Teams' documented per-conversation send limits, enforced on arrival (shared/platforms/teams.md §6). */
const LIMITS = [
  { count: 7, windowMs: 1000 },
  { count: 60, windowMs: 30_000 },
];
const CARD_TYPE = "application/vnd.microsoft.card.adaptive";

const err = (c: Context, status: number, code: string, message: string) =>
  c.json({ error: { code, message } }, status as 400, { "x-correlating-operationid": randomUUID() });

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, out);
  return out;
}

/** What the service would refuse in an activity body; undefined when it is acceptable. */
export function activityProblem(a: Record<string, unknown>): string | undefined {
  if (typeof a.type !== "string" || a.type === "") return "activity.type is required";
  const text = typeof a.text === "string" ? a.text : "";
  for (const e of (Array.isArray(a.entities) ? a.entities : []) as Record<string, unknown>[]) {
    if (e?.type !== "mention") continue;
    const m = e.mentioned as { id?: unknown; name?: unknown } | undefined;
    if (typeof m?.id !== "string" || typeof m.name !== "string")
      return "mention entity without mentioned.id/name";
    if (typeof e.text !== "string" || !text.includes(e.text))
      return `mention entity text ${JSON.stringify(e.text)} does not occur in text`;
  }
  for (const att of (Array.isArray(a.attachments) ? a.attachments : []) as Record<string, unknown>[]) {
    if (att?.contentType !== CARD_TYPE) continue;
    const card = att.content as Record<string, unknown> | undefined;
    if (!card || typeof card !== "object" || Array.isArray(card))
      return "adaptive card content must be an object";
    if (card.type !== "AdaptiveCard") return "adaptive card content.type must be AdaptiveCard";
    if (typeof card.version !== "string") return "adaptive card version is required";
    const [major, minor] = card.version.split(".").map(Number);
    if (!(major === 1 && (minor ?? 0) <= 5)) return `adaptive card version ${card.version} is above 1.5`;
    const events = adaptiveCardEvents(card);
    if (events.length) return `adaptive card: ${events[0]}`;
    const cardText = strings(card.body).join("\n");
    const entities = (card.msteams as { entities?: { text?: unknown }[] } | undefined)?.entities ?? [];
    for (const e of entities)
      if (typeof e.text !== "string" || !cardText.includes(e.text))
        return "card mention entity text not in the card";
  }
  return undefined;
}

/**
 * The Bot Connector: bearer check, percent-encoded ids decoded, bodies checked, sizes (413), pace (429),
 * blocked users (403 MessageWritesBlocked), PUT replacing the stored activity, and 1:1 chat creation.
 */
export class EmulatedConnector {
  readonly conversations = new Map<string, ConversationState>();
  readonly users = new Map<string, EmulatedUser>();
  readonly calls: ConnectorCall[] = [];
  readonly faults: Fault[] = [];
  /** While above 0, every call waits this long before it is answered (a service that hangs). */
  hangMs = 0;
  /** How many calls were held by hangMs. */
  hung = 0;
  /** Largest body accepted (bytes); Teams documents about 100 KB. */
  maxBytes = 100 * 1024;
  /**
   * Off unless set: the app's sends per second across all conversations (Teams documents 30 requests a
   * second per app and tenant), answered 429 with Retry-After. The per-conversation limits always hold.
   */
  appSendsPerSecond: number | undefined;
  readonly #appSends: number[] = [];
  /** The clock the send limits are measured on (monotonic ms); tests may pin it. */
  now: () => number = () => performance.now();
  readonly #sendTimes = new Map<string, number[]>();
  readonly #issuer: EmulatedIssuer;
  readonly #appId: string;
  readonly #tenantId: string;

  constructor(issuer: EmulatedIssuer) {
    this.#issuer = issuer;
    this.#appId = issuer.s.appId;
    this.#tenantId = issuer.s.tenantId;
  }

  conversation(id: string, type: ConversationState["type"], user?: string): ConversationState {
    let conv = this.conversations.get(id);
    if (!conv) {
      conv = { id, type, user, activities: new Map() };
      this.conversations.set(id, conv);
    }
    return conv;
  }

  /** Handles every request under the serviceUrl (`<base>/teams/`). */
  async handle(c: Context): Promise<Response> {
    const raw = new URL(c.req.url).pathname.replace(/^\/teams/, "");
    const method = c.req.method;
    if (this.hangMs > 0) {
      this.hung += 1;
      await new Promise((r) => setTimeout(r, this.hangMs));
    }
    const res = await this.#route(c, method, raw);
    const conv = /^\/v3\/conversations\/([^/]+)/.exec(raw)?.[1];
    let code: string | undefined;
    if (res.status >= 400)
      code = (
        (await res
          .clone()
          .json()
          .catch(() => ({}))) as { error?: { code?: string } }
      ).error?.code;
    this.calls.push({
      method,
      path: raw,
      status: res.status,
      conversationId: conv ? decodeURIComponent(conv) : undefined,
      code,
      at: performance.now(),
    });
    return res;
  }

  async #route(c: Context, method: string, raw: string): Promise<Response> {
    if (!this.#issuer.validAccessToken(c.req.header("authorization")))
      return err(c, 401, "Unauthorized", "Authorization has been denied for this request.");
    const parts = raw.split("/").filter(Boolean);
    if (parts[0] !== "v3" || parts[1] !== "conversations") return err(c, 404, "NotFound", raw);
    // Ids carry ':', '@' and ';': a client must percent-encode them; we decode and insist on the round trip.
    const ids: string[] = [];
    for (const p of parts.slice(2)) {
      let id: string;
      try {
        id = decodeURIComponent(p);
      } catch {
        return err(c, 400, "BadArgument", `malformed path segment ${p}`);
      }
      if (p !== "activities" && p !== "members" && encodeURIComponent(id) !== p)
        return err(c, 400, "BadArgument", `path segment not percent-encoded: ${p}`);
      ids.push(id);
    }
    const text = await c.req.text();
    if (Buffer.byteLength(text) > this.maxBytes)
      return err(c, 413, "MessageSizeTooBig", `Activity body too large: ${Buffer.byteLength(text)} bytes`);
    let body: Record<string, unknown> = {};
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        return err(c, 400, "BadSyntax", "body is not JSON");
      }
    }
    if (ids.length === 0 && method === "POST") return this.#create(c, body);
    const [convId, what, activityId] = ids;
    const conv = convId ? this.conversations.get(convId) : undefined;
    if (!conv) return err(c, 404, "ConversationNotFound", `Conversation not found: ${convId}`);
    if (what === "members" && method === "GET")
      return c.json(
        [...this.users.values()].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })),
      );
    if (what !== "activities" || !(method === "POST" || method === "PUT"))
      return err(c, 405, "MethodNotAllowed", method);
    if (conv.user && this.users.get(conv.user)?.blocked)
      return err(c, 403, "ConversationBlockedByUser", "MessageWritesBlocked: the user blocked the bot");
    const fault = this.faults.find((f) => f.remaining > 0);
    if (fault) {
      fault.remaining--;
      return c.json(
        { error: { code: fault.status === 429 ? "Throttled" : "ServiceError", message: "scripted" } },
        fault.status as 429,
        fault.retryAfterS !== undefined ? { "retry-after": String(fault.retryAfterS) } : {},
      );
    }
    // the app-wide window is checked first and counts only sends the conversation's limits let through
    if (this.#appFull() || this.#throttled(conv.id))
      return c.json({ error: { code: "Throttled", message: "Too many requests" } }, 429, {
        "retry-after": "1",
      });
    if (this.appSendsPerSecond !== undefined) this.#appSends.push(this.now());
    const problem = activityProblem(body);
    if (problem) return err(c, 400, "BadArgument", problem);
    if (method === "PUT") {
      const stored = activityId ? conv.activities.get(activityId) : undefined;
      if (stored?.by !== "bot") return err(c, 404, "ActivityNotFound", `no activity ${activityId}`);
      conv.activities.set(stored.id, {
        ...stored,
        activity: { ...body, id: stored.id },
        updates: stored.updates + 1,
      });
      return c.json({ id: stored.id }, 200);
    }
    if (activityId && !conv.activities.has(activityId))
      return err(c, 404, "ActivityNotFound", `no activity ${activityId} to reply to`);
    const id = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    conv.activities.set(id, {
      id,
      activity: { ...body, id, ...(activityId ? { replyToId: activityId } : {}) },
      by: "bot",
      updates: 0,
      at: Date.now(),
    });
    return c.json({ id }, 201);
  }

  #create(c: Context, body: Record<string, unknown>): Response {
    const bot = body.bot as { id?: unknown } | undefined;
    if (bot?.id !== `28:${this.#appId}`) return err(c, 400, "BadArgument", "bot.id must be 28:<app id>");
    const members = Array.isArray(body.members) ? (body.members as { id?: unknown }[]) : [];
    if (members.length !== 1 || body.isGroup === true)
      return err(c, 400, "BadArgument", "a 1:1 chat needs exactly one member");
    const tenant =
      (body.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id ?? body.tenantId;
    if (tenant !== this.#tenantId) return err(c, 400, "BadArgument", "channelData.tenant.id is required");
    const memberId = members[0]!.id;
    const user = [...this.users.values()].find((u) => u.id === memberId || u.aadObjectId === memberId);
    if (!user) return err(c, 404, "MemberNotFound", `no member ${String(memberId)} with the app installed`);
    if (user.blocked)
      return err(c, 403, "ConversationBlockedByUser", "MessageWritesBlocked: the user blocked the bot");
    const id = `a:1${user.aadObjectId.replace(/-/g, "")}`;
    this.conversation(id, "personal", user.aadObjectId);
    return c.json({ id }, 201);
  }

  #throttled(conversationId: string): boolean {
    const now = this.now();
    const times = (this.#sendTimes.get(conversationId) ?? []).filter((t) => now - t < 30_000);
    const over = LIMITS.some(
      ({ count, windowMs }) => times.filter((t) => now - t < windowMs).length >= count,
    );
    if (!over) times.push(now);
    this.#sendTimes.set(conversationId, times);
    return over;
  }

  #appFull(): boolean {
    if (this.appSendsPerSecond === undefined) return false;
    const now = this.now();
    while (this.#appSends.length > 0 && now - this.#appSends[0]! >= 1000) this.#appSends.shift();
    return this.#appSends.length >= this.appSendsPerSecond;
  }

  /** What the bot posted in a conversation, as it stands now (PUTs applied), oldest first. */
  botActivities(conversationId: string): StoredActivity[] {
    return [...(this.conversations.get(conversationId)?.activities.values() ?? [])].filter(
      (a) => a.by === "bot",
    );
  }
}
