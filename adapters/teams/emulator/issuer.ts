import { createHmac } from "node:crypto";
import { Hono } from "hono";
import type { Clock } from "../../../core/ports.ts";
import { BOT_FRAMEWORK_ISSUER } from "../config.ts";
import { CONNECTOR_SCOPE } from "../token-client.ts";
import { type EmulatorKey, makeKey, publishedJwk, sign } from "./keys.ts";

export interface IssuerSettings {
  readonly appId: string;
  readonly appPassword: string;
  readonly tenantId: string;
  readonly clock: Clock;
  /** How long a client-credentials token lives (seconds, default 3600). */
  readonly tokenTtlS?: number;
}

/** One bad token from the reference's list, the header that carries it and the status the bot must answer. */
export interface BadToken {
  readonly name: string;
  /** The Authorization header to send; undefined sends none. */
  readonly authorization?: string;
  readonly expect: 401 | 403;
}

const seconds = (c: Clock) => Math.floor(c.now().getTime() / 1000);

/**
 * The Microsoft side of authentication: Bot Framework OpenID metadata and keys (with endorsements), Entra
 * metadata and keys for tab SSO, and the client-credentials token endpoint. Mints good and bad tokens.
 */
export class EmulatedIssuer {
  readonly s: IssuerSettings;
  /** Published, endorsed for msteams: signs good channel tokens. */
  channelKey!: EmulatorKey;
  /** Published, endorsed only for webchat: a token it signs must get 403 on msteams. */
  webchatKey!: EmulatorKey;
  /** Never published: its kid is unknown to the bot. */
  strayKey!: EmulatorKey;
  /** Entra's key for SSO tokens. */
  entraKey!: EmulatorKey;
  /** Client-credentials requests answered (tests check the bot caches its token). */
  tokenRequests = 0;
  readonly #issued = new Map<string, number>();
  /** Metadata and JWKS reads (tests check the bot caches keys). */
  keyReads = 0;

  constructor(settings: IssuerSettings) {
    this.s = settings;
  }

  async init(): Promise<void> {
    this.channelKey = await makeKey(["msteams"]);
    this.webchatKey = await makeKey(["webchat"]);
    this.strayKey = await makeKey(["msteams"]);
    this.entraKey = await makeKey([]);
  }

  /** A new channel key published alongside (key rotation: the bot must refresh on the unknown kid). */
  async rotate(): Promise<void> {
    this.channelKey = await makeKey(["msteams"]);
  }

  routes(base: () => string): Hono {
    const app = new Hono();
    app.get("/v1/.well-known/openidconfiguration", (c) => {
      this.keyReads++;
      return c.json({
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${base()}/v1/authorize`,
        jwks_uri: `${base()}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["private_key_jwt"],
      });
    });
    app.get("/v1/.well-known/keys", (c) => {
      this.keyReads++;
      return c.json({ keys: [this.channelKey, this.webchatKey, ...this.#retired].map(publishedJwk) });
    });
    app.get("/:tenant/v2.0/.well-known/openid-configuration", (c) => {
      const tenant = c.req.param("tenant");
      return c.json({
        issuer: `${base()}/${tenant === "common" ? "{tenantid}" : tenant}/v2.0`,
        jwks_uri: `${base()}/${tenant}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
      });
    });
    app.get("/:tenant/discovery/v2.0/keys", (c) => c.json({ keys: [publishedJwk(this.entraKey)] }));
    app.post("/:tenant/oauth2/v2.0/token", async (c) => {
      const tenant = c.req.param("tenant");
      const type = c.req.header("content-type") ?? "";
      const invalid = (error: string, description: string) =>
        c.json({ error, error_description: description }, error === "invalid_request" ? 400 : 401);
      if (!type.startsWith("application/x-www-form-urlencoded"))
        return invalid("invalid_request", "AADSTS900144: the request body must be a form");
      if (tenant !== "botframework.com" && tenant !== this.s.tenantId)
        return invalid("invalid_request", `AADSTS90002: tenant '${tenant}' not found`);
      const form = new URLSearchParams(await c.req.text());
      if (form.get("grant_type") !== "client_credentials")
        return invalid("invalid_request", "AADSTS900144: grant_type must be client_credentials");
      if (form.get("scope") !== CONNECTOR_SCOPE)
        return invalid("invalid_request", "AADSTS70011: invalid scope");
      if (form.get("client_id") !== this.s.appId || form.get("client_secret") !== this.s.appPassword)
        return c.json(
          { error: "invalid_client", error_description: "AADSTS7000215: invalid client secret" },
          401,
        );
      this.tokenRequests++;
      const ttl = this.s.tokenTtlS ?? 3600;
      const iat = seconds(this.s.clock);
      const token = await sign({
        key: this.channelKey,
        iat,
        nbf: iat,
        exp: iat + ttl,
        claims: {
          iss: `https://sts.windows.net/${this.s.tenantId}/`,
          aud: "https://api.botframework.com",
          appid: this.s.appId,
          tid: this.s.tenantId,
        },
      });
      this.#issued.set(fingerprint(token), (iat + ttl) * 1000);
      return c.json({ token_type: "Bearer", expires_in: ttl, ext_expires_in: ttl, access_token: token });
    });
    return app;
  }

  readonly #retired: EmulatorKey[] = [];

  /** Whether a connector call's bearer token is one this issuer gave out and has not expired. */
  validAccessToken(authorization: string | undefined): boolean {
    const m = /^Bearer (.+)$/.exec(authorization ?? "");
    if (!m) return false;
    const expires = this.#issued.get(fingerprint(m[1]!));
    return expires !== undefined && this.s.clock.now().getTime() < expires;
  }

  /** A good channel token for an activity sent to the bot from this serviceUrl. */
  async channelToken(
    serviceUrl: string,
    over: {
      claims?: Record<string, unknown>;
      key?: EmulatorKey;
      kid?: string;
      at?: number;
      ttlS?: number;
    } = {},
  ): Promise<string> {
    const iat = over.at ?? seconds(this.s.clock);
    return sign({
      key: over.key ?? this.channelKey,
      kid: over.kid,
      iat,
      nbf: iat,
      exp: iat + (over.ttlS ?? 3600),
      claims: { iss: BOT_FRAMEWORK_ISSUER, aud: this.s.appId, serviceurl: serviceUrl, ...over.claims },
    });
  }

  /**
   * Every bad token on the reference's list (shared/platforms/teams.md §1 and §10), plus a few a careless
   * validator lets through: each must be refused with the status given.
   */
  async badTokens(serviceUrl: string): Promise<BadToken[]> {
    const now = seconds(this.s.clock);
    const good = await this.channelToken(serviceUrl);
    const [head, body] = good.split(".");
    const tampered = `${head}.${body}.${good.split(".")[2]!.slice(0, -4)}AAAA`;
    const forged = await sign({
      key: this.strayKey,
      kid: this.channelKey.kid,
      iat: now,
      nbf: now,
      exp: now + 3600,
      claims: { iss: BOT_FRAMEWORK_ISSUER, aud: this.s.appId, serviceurl: serviceUrl },
    });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const claims = {
      iss: BOT_FRAMEWORK_ISSUER,
      aud: this.s.appId,
      serviceurl: serviceUrl,
      iat: now,
      nbf: now,
      exp: now + 3600,
    };
    const noneAlg = `${b64({ alg: "none", typ: "JWT", kid: this.channelKey.kid })}.${b64(claims)}.`;
    const hsHeader = b64({ alg: "HS256", typ: "JWT", kid: this.channelKey.kid });
    const hsBody = b64(claims);
    const hs = `${hsHeader}.${hsBody}.${createHmac("sha256", JSON.stringify(this.channelKey.jwk)).update(`${hsHeader}.${hsBody}`).digest("base64url")}`;
    const bearer = (t: string) => `Bearer ${t}`;
    return [
      { name: "no Authorization header", expect: 401 },
      {
        name: "not the Bearer scheme",
        authorization: `Basic ${Buffer.from("a:b").toString("base64")}`,
        expect: 401,
      },
      { name: "not a JWT", authorization: "Bearer not-a-token", expect: 401 },
      {
        name: "wrong audience",
        authorization: bearer(await this.channelToken(serviceUrl, { claims: { aud: "another-bot" } })),
        expect: 401,
      },
      {
        name: "wrong issuer",
        authorization: bearer(
          await this.channelToken(serviceUrl, { claims: { iss: "https://sts.windows.net/evil/" } }),
        ),
        expect: 401,
      },
      {
        name: "expired beyond the 5-minute skew",
        authorization: bearer(await this.channelToken(serviceUrl, { at: now - 3600 - 400, ttlS: 3600 })),
        expect: 401,
      },
      {
        name: "not yet valid beyond the skew",
        authorization: bearer(await this.channelToken(serviceUrl, { at: now + 600 })),
        expect: 401,
      },
      { name: "bad signature (tampered)", authorization: bearer(tampered), expect: 401 },
      { name: "signed by another key under a known kid", authorization: bearer(forged), expect: 401 },
      {
        name: "unknown kid",
        authorization: bearer(await this.channelToken(serviceUrl, { key: this.strayKey })),
        expect: 401,
      },
      {
        name: "serviceurl claim differs from the activity",
        authorization: bearer(await this.channelToken("https://evil.example/teams/")),
        expect: 401,
      },
      {
        name: "no serviceurl claim",
        authorization: bearer(await this.channelToken(serviceUrl, { claims: { serviceurl: undefined } })),
        expect: 401,
      },
      { name: "alg none", authorization: bearer(noneAlg), expect: 401 },
      { name: "HS256 with the public key as secret", authorization: bearer(hs), expect: 401 },
      {
        name: "key not endorsed for msteams",
        authorization: bearer(await this.channelToken(serviceUrl, { key: this.webchatKey })),
        expect: 403,
      },
    ];
  }

  /** An Entra token as teams-js getAuthToken() returns it for the tab (SSO). */
  async ssoToken(
    o: { oid: string; tid?: string; aud?: string; iss?: string; key?: EmulatorKey; expired?: boolean },
    base: string,
  ): Promise<string> {
    const tid = o.tid ?? this.s.tenantId;
    const iat = seconds(this.s.clock) - (o.expired ? 7200 : 0);
    return sign({
      key: o.key ?? this.entraKey,
      iat,
      nbf: iat,
      exp: iat + 3600,
      claims: {
        iss: o.iss ?? `${base}/${tid}/v2.0`,
        aud: o.aud ?? this.s.appId,
        tid,
        oid: o.oid,
        scp: "access_as_user",
        ver: "2.0",
      },
    });
  }
}

const fingerprint = (token: string) => token.slice(-43);
