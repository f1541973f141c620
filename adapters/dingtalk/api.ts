import type { Logger } from "pino";
import type { Clock } from "../../core/ports.ts";
import type { DingTalkConfig } from "./config.ts";
import { apiErrorSchema } from "./wire.ts";

export type ApiErrorKind = "throttle" | "server" | "config" | "auth" | "request";

/** A refused or failed OpenAPI call, classified so callers know whether a retry can help. */
export class DingTalkApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly kind: ApiErrorKind,
    readonly retryAfterMs?: number,
  ) {
    super(`${code}: ${message}`);
    this.name = "DingTalkApiError";
  }
}

const QPS_CODES = new Set([
  "Forbidden.AccessDenied.QpsLimitForAppkeyAndApi",
  "Forbidden.AccessDenied.QpsLimitForApi",
  "90018",
  "90002",
]);
/** Errors no retry fixes until someone changes the app's setup; each has its fix in fixes.ts. */
const CONFIG_CODES = [
  /^Forbidden\.AccessDenied\.AccessTokenPermissionDenied$/,
  /^Forbidden\.AccessDenied\.ApiCountLimitForOrg$/,
  /^param\.templateNotExist$/,
  /^invalidParameter\.robotCode/,
  /^invalid\.openConversationId$/,
  /^robot\.notInGroup$/,
  /^60011$/,
  /^90020$/,
];

export function classify(status: number, code: string): ApiErrorKind {
  if (QPS_CODES.has(code)) return "throttle";
  if (CONFIG_CODES.some((re) => re.test(code))) return "config";
  if (code === "InvalidAuthentication" || code === "40014" || code.startsWith("AuthenticationFailed"))
    return "auth";
  if (status >= 500 || code === "system.busy") return "server";
  return "request";
}

export interface ApiOptions {
  readonly config: DingTalkConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** First wait after a QPS-limit answer (DingTalk asks for at least 1 s); doubled per retry. */
  readonly throttleBackoffMs?: number;
  /** Attempts of one call before it is given back to the outbox as a retry. */
  readonly attempts?: number;
  readonly fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * DingTalk's two OpenAPI families behind one client: the new API (token in `x-acs-dingtalk-access-token`,
 * errors as HTTP status + {code, message}) and the old one (token in the query, always 200, errcode).
 * QPS-limit answers are retried here with backoff; everything else is classified and thrown.
 */
export class DingTalkApi {
  readonly #o: ApiOptions;
  readonly #fetch: typeof fetch;
  #token?: { value: string; refreshAt: number };
  #pending?: Promise<string>;

  constructor(o: ApiOptions) {
    this.#o = o;
    this.#fetch = o.fetch ?? fetch;
  }

  /** The app's access token, cached and renewed five minutes before it expires. */
  async token(): Promise<string> {
    const now = this.#o.clock.now().getTime();
    if (this.#token && now < this.#token.refreshAt) return this.#token.value;
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetchToken(): Promise<string> {
    const { clientId, clientSecret, apiBase } = this.#o.config;
    const res = await this.#fetch(`${apiBase}/v1.0/oauth2/accessToken`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ appKey: clientId, appSecret: clientSecret }),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok || typeof body.accessToken !== "string") {
      const err = apiErrorSchema.safeParse(body);
      const code = err.success ? err.data.code : `http.${res.status}`;
      throw new DingTalkApiError(res.status, code, String(body.message ?? "token refused"), "auth");
    }
    const expireIn = typeof body.expireIn === "number" ? body.expireIn : 7200;
    this.#token = {
      value: body.accessToken,
      refreshAt: this.#o.clock.now().getTime() + Math.max(60, expireIn - 300) * 1000,
    };
    return body.accessToken;
  }

  /** A new-API call (api.dingtalk.com). */
  async call<T = Record<string, unknown>>(
    method: "POST" | "PUT" | "GET",
    path: string,
    body?: unknown,
  ): Promise<T> {
    return this.#withRetry(async () => {
      const res = await this.#fetch(`${this.#o.config.apiBase}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          "x-acs-dingtalk-access-token": await this.token(),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : {};
      } catch {
        json = undefined;
      }
      if (res.ok && json && typeof json === "object") return json as T;
      const err = apiErrorSchema.safeParse(json);
      const code = err.success ? err.data.code : `http.${res.status}`;
      const message = err.success ? (err.data.message ?? "") : text.slice(0, 200);
      if (classify(res.status, code) === "auth") this.#token = undefined;
      throw new DingTalkApiError(res.status, code, message, classify(res.status, code));
    });
  }

  /** An old-API call (oapi.dingtalk.com): always HTTP 200, success when errcode is 0. */
  async oapi<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    return this.#withRetry(async () => {
      const token = encodeURIComponent(await this.token());
      const res = await this.#fetch(`${this.#o.config.oapiBase}${path}?access_token=${token}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await res.json().catch(() => ({ errcode: -1, errmsg: `HTTP ${res.status}` }))) as Record<
        string,
        unknown
      >;
      if (res.ok && json.errcode === 0) return json as T;
      const code =
        json.errcode === 88 && json.sub_code ? String(json.sub_code) : String(json.errcode ?? res.status);
      const kind = res.status >= 500 ? "server" : classify(res.status, code);
      if (kind === "auth") this.#token = undefined;
      throw new DingTalkApiError(res.status, code, String(json.sub_msg ?? json.errmsg ?? ""), kind);
    });
  }

  /** A plain POST to a message's session webhook (no token: the URL is the credential, until it expires). */
  async postWebhook(url: string, body: unknown): Promise<void> {
    const res = await this.#fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.ok && json.errcode === 0) return;
    const code = String(json.errcode ?? `http.${res.status}`);
    throw new DingTalkApiError(res.status, code, String(json.errmsg ?? ""), classify(res.status, code));
  }

  async #withRetry<T>(run: () => Promise<T>): Promise<T> {
    const attempts = this.#o.attempts ?? 3;
    let wait = this.#o.throttleBackoffMs ?? 1000;
    for (let i = 1; ; i++) {
      try {
        return await run();
      } catch (e) {
        const retryable = e instanceof DingTalkApiError && (e.kind === "throttle" || e.kind === "auth");
        if (!retryable || i >= attempts) {
          if (e instanceof DingTalkApiError && e.kind === "throttle")
            throw new DingTalkApiError(e.status, e.code, e.message, e.kind, wait);
          throw e;
        }
        this.#o.logger.warn(
          { code: (e as DingTalkApiError).code, waitMs: wait },
          "DingTalk API busy; backing off",
        );
        await sleep(wait + Math.floor(Math.random() * (wait / 4)));
        wait *= 2;
      }
    }
  }
}
