import { AppPacer } from "../app-pacer.ts";
import type { ConversationLimiter, Sleep } from "./rate-limit.ts";
import type { BotTokenClient } from "./token-client.ts";

/** The person blocked the bot or removed the app: retrying cannot help. */
export class MessageWritesBlockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MessageWritesBlockedError";
  }
}

/** The connector said no for good (bad request, unknown conversation...). */
export class ConnectorRefusedError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "ConnectorRefusedError";
    this.status = status;
  }
}

/** Still failing after the retries here; the outbox retries later (after retryAfterMs when known). */
export class ConnectorBusyError extends Error {
  readonly retryAfterMs?: number;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = "ConnectorBusyError";
    this.retryAfterMs = retryAfterMs;
  }
}

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  readonly tries: number;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = { tries: 3, baseMs: 2000, maxMs: 20_000, random: Math.random };
const RETRYABLE = new Set([412, 429, 502, 504]);

export interface ConversationParameters {
  readonly bot: { readonly id: string };
  readonly members: readonly { readonly id: string }[];
  readonly isGroup: false;
  readonly tenantId?: string;
  readonly channelData?: { readonly tenant: { readonly id: string } };
}

const APP_REQUESTS_PER_SECOND = 30;
const join = (serviceUrl: string, path: string) => `${serviceUrl.replace(/\/+$/, "")}${path}`;
const seg = encodeURIComponent;

/** Bot Connector REST calls (shared/platforms/teams.md §2), paced per conversation and retried on 412/429/502/504. */
export class ConnectorClient {
  readonly #tokens: BotTokenClient;
  readonly #limiter: ConversationLimiter;
  readonly #app: AppPacer;
  readonly #retry: RetryPolicy;
  readonly #sleep: Sleep;
  readonly #fetch: typeof fetch;

  constructor(deps: {
    tokens: BotTokenClient;
    limiter: ConversationLimiter;
    /** Activity sends and updates a second for the whole app (Teams: 30 per app and tenant). */
    appPerSecond?: number;
    retry?: RetryPolicy;
    sleep: Sleep;
    fetch?: typeof fetch;
  }) {
    this.#tokens = deps.tokens;
    this.#limiter = deps.limiter;
    this.#app = new AppPacer(deps.appPerSecond ?? APP_REQUESTS_PER_SECOND);
    this.#retry = deps.retry ?? DEFAULT_RETRY;
    this.#sleep = deps.sleep;
    this.#fetch = deps.fetch ?? globalThis.fetch;
  }

  async post(serviceUrl: string, conversationId: string, activity: object): Promise<{ id: string }> {
    return this.#call(
      "POST",
      serviceUrl,
      `/v3/conversations/${seg(conversationId)}/activities`,
      conversationId,
      activity,
    );
  }

  async reply(
    serviceUrl: string,
    conversationId: string,
    replyToId: string,
    activity: object,
  ): Promise<{ id: string }> {
    const path = `/v3/conversations/${seg(conversationId)}/activities/${seg(replyToId)}`;
    return this.#call("POST", serviceUrl, path, conversationId, { ...activity, replyToId });
  }

  async update(
    serviceUrl: string,
    conversationId: string,
    activityId: string,
    activity: object,
  ): Promise<{ id: string }> {
    const path = `/v3/conversations/${seg(conversationId)}/activities/${seg(activityId)}`;
    return this.#call("PUT", serviceUrl, path, conversationId, { ...activity, id: activityId });
  }

  /** Opens (or finds again: Teams returns the same id) the 1:1 chat between the bot and one person. */
  async createConversation(
    serviceUrl: string,
    params: ConversationParameters,
  ): Promise<{ id: string; serviceUrl?: string }> {
    return this.#call("POST", serviceUrl, "/v3/conversations", `create:${params.members[0]?.id}`, params);
  }

  async #call<T>(method: string, serviceUrl: string, path: string, lane: string, body: object): Promise<T> {
    let lastError = "";
    let retryAfterMs: number | undefined;
    let reauthed = false;
    for (let attempt = 0; attempt < this.#retry.tries; attempt++) {
      await this.#limiter.acquire(lane);
      // Sends and updates count against the app-wide limit; opening a 1:1 chat does not.
      if (path.includes("/activities")) await this.#app.acquire();
      const res = await this.#fetch(join(serviceUrl, path), {
        method,
        headers: {
          authorization: `Bearer ${await this.#tokens.token()}`,
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : {}) as T;
      lastError = `${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`;
      if (res.status === 401 && !reauthed) {
        reauthed = true;
        this.#tokens.invalidate();
        attempt--;
        continue;
      }
      if (res.status === 403 && text.includes("MessageWritesBlocked"))
        throw new MessageWritesBlockedError(lastError);
      if (!RETRYABLE.has(res.status)) {
        if (res.status >= 500) throw new ConnectorBusyError(lastError);
        throw new ConnectorRefusedError(res.status, lastError);
      }
      retryAfterMs = retryAfter(res.headers.get("retry-after"));
      if (attempt + 1 < this.#retry.tries) await this.#sleep(retryAfterMs ?? this.#backoff(attempt));
    }
    throw new ConnectorBusyError(lastError, retryAfterMs);
  }

  /** Exponential, capped, with ±20 % jitter so many senders do not retry in step. */
  #backoff(attempt: number): number {
    const base = Math.min(this.#retry.maxMs, this.#retry.baseMs * 2 ** attempt);
    return Math.round(base * (0.8 + 0.4 * this.#retry.random()));
  }
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
