import { decodeProtectedHeader, jwtVerify } from "jose";
import type { Directory } from "../../core/directory/directory.ts";
import type { Clock } from "../../core/ports.ts";
import { CLOCK_SKEW_S } from "./channel-auth.ts";
import type { TeamsConfig } from "./config.ts";
import { OpenIdKeys } from "./openid-keys.ts";

/** The application ID URI the manifest's webApplicationInfo.resource names (api://<host>/<app id>). */
export function ssoResource(config: Pick<TeamsConfig, "appId" | "publicUrl">): string | undefined {
  if (!config.publicUrl) return undefined;
  return `api://${new URL(config.publicUrl).host}/${config.appId}`;
}

/**
 * Board single sign-on in a Teams tab: the page gets an Entra token with teams-js
 * `authentication.getAuthToken()`, the server checks it here (signature from Entra's keys, issuer, audience =
 * our app, tenant, time) and maps its `oid` to a directory person.
 */
export class TeamsSso {
  readonly #config: TeamsConfig;
  readonly #directory: Directory;
  readonly #clock: Clock;
  readonly #keys: OpenIdKeys;

  constructor(deps: { config: TeamsConfig; directory: Directory; clock: Clock; fetch?: typeof fetch }) {
    this.#config = deps.config;
    this.#directory = deps.directory;
    this.#clock = deps.clock;
    const tenant = deps.config.tenantId ?? "common";
    this.#keys = new OpenIdKeys({
      metadataUrl: `${deps.config.loginUrl}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`,
      clock: deps.clock,
      fetch: deps.fetch,
    });
  }

  /** The directory person id the token belongs to; undefined for any token that does not hold. */
  async personOf(token: string): Promise<string | undefined> {
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "RS256" || !header.kid) return undefined;
      const signing = await this.#keys.key(header.kid, "RS256");
      if (!signing) return undefined;
      const audience = [this.#config.appId, ssoResource(this.#config)].filter((a): a is string => Boolean(a));
      const { payload } = await jwtVerify(token, signing.key, {
        algorithms: ["RS256"],
        audience,
        clockTolerance: CLOCK_SKEW_S,
        currentDate: this.#clock.now(),
        requiredClaims: ["exp", "iss", "tid", "oid"],
      });
      const tid = String(payload.tid);
      if (this.#config.tenantId && tid !== this.#config.tenantId) return undefined;
      if (payload.iss !== `${this.#config.loginUrl}/${tid}/v2.0`) return undefined;
      return this.#directory.findByIdentity("teams", String(payload.oid))?.id;
    } catch {
      return undefined;
    }
  }
}

/** The board's sign-in provider for Teams (shape of adapters/board SignInProvider). */
export function teamsSignInProvider(sso: TeamsSso, config: TeamsConfig) {
  const resource = ssoResource(config);
  return {
    id: "teams",
    label: { "zh-CN": "Microsoft Teams", en: "Microsoft Teams" },
    client: { appId: config.appId, ...(resource ? { resource } : {}) },
    exchange: (attempt: { readonly code: string }) => sso.personOf(attempt.code),
  } as const;
}
