import type { Clock } from "../../core/ports.ts";
import { type TeamsConfig, tokenTenant } from "./config.ts";

export const CONNECTOR_SCOPE = "https://api.botframework.com/.default";
const EARLY_MS = 5 * 60_000;

/** The bot's own token for the connector: client credentials at the login host, cached until 5 min before expiry. */
export class BotTokenClient {
  readonly #config: TeamsConfig;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;
  #cached: { token: string; refreshAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(config: TeamsConfig, clock: Clock, fetchImpl: typeof fetch = globalThis.fetch) {
    this.#config = config;
    this.#clock = clock;
    this.#fetch = fetchImpl;
  }

  async token(): Promise<string> {
    const now = this.#clock.now().getTime();
    if (this.#cached && now < this.#cached.refreshAt) return this.#cached.token;
    this.#pending ??= this.#fetchToken().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forget the token (the connector said 401: it may have been revoked). */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #fetchToken(): Promise<string> {
    const url = `${this.#config.loginUrl}/${encodeURIComponent(tokenTenant(this.#config))}/oauth2/v2.0/token`;
    const res = await this.#fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: this.#config.appId,
        client_secret: this.#config.appPassword,
        scope: CONNECTOR_SCOPE,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!res.ok || typeof body.access_token !== "string") {
      throw new Error(`Teams token request failed: HTTP ${res.status} ${String(body.error ?? "")}`.trim());
    }
    const expiresIn = Number(body.expires_in ?? 3600);
    const refreshAt = this.#clock.now().getTime() + Math.max(0, expiresIn * 1000 - EARLY_MS);
    this.#cached = { token: body.access_token, refreshAt };
    return body.access_token;
  }
}
