import { decodeProtectedHeader, errors, jwtVerify } from "jose";
import type { Clock } from "../../core/ports.ts";
import type { Activity } from "./activity.ts";
import { BOT_FRAMEWORK_ISSUER } from "./config.ts";
import type { OpenIdKeys } from "./openid-keys.ts";

export type AuthResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/** Five minutes either side, as the Bot Framework allows. */
export const CLOCK_SKEW_S = 300;

const sameServiceUrl = (a: string, b: string) =>
  a.toLowerCase().replace(/\/$/, "") === b.toLowerCase().replace(/\/$/, "");

const refuse = (reason: string, status: 401 | 403 = 401): AuthResult => ({ ok: false, status, reason });

/**
 * Checks the channel's bearer token on POST /teams/messages (shared/platforms/teams.md §1): Bearer scheme,
 * a key from the OpenID metadata by kid, RS256, issuer, audience = our app id, nbf/exp with 5 minutes of
 * skew, the `serviceurl` claim equal to the activity's serviceUrl, and the key endorsed for the channel.
 * An unendorsed channel is 403; every other failure 401.
 */
export class ChannelAuth {
  readonly #keys: OpenIdKeys;
  readonly #appId: string;
  readonly #clock: Clock;

  constructor(deps: { keys: OpenIdKeys; appId: string; clock: Clock }) {
    this.#keys = deps.keys;
    this.#appId = deps.appId;
    this.#clock = deps.clock;
  }

  async verify(authorization: string | undefined, activity: Activity): Promise<AuthResult> {
    const m = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(authorization ?? "");
    if (!m) return refuse("no Bearer token");
    const token = m[1]!;
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "RS256") return refuse(`algorithm ${String(header.alg)}`);
      kid = header.kid;
    } catch {
      return refuse("malformed token");
    }
    if (!kid) return refuse("no kid");
    let signing: Awaited<ReturnType<OpenIdKeys["key"]>>;
    try {
      signing = await this.#keys.key(kid, "RS256");
    } catch {
      return refuse("signing keys unavailable");
    }
    if (!signing) return refuse(`unknown kid ${kid}`);
    let claims: Record<string, unknown>;
    try {
      const verified = await jwtVerify(token, signing.key, {
        algorithms: ["RS256"],
        issuer: BOT_FRAMEWORK_ISSUER,
        audience: this.#appId,
        clockTolerance: CLOCK_SKEW_S,
        currentDate: this.#clock.now(),
        requiredClaims: ["exp"],
      });
      claims = verified.payload;
    } catch (e) {
      return refuse(e instanceof errors.JOSEError ? e.code : "invalid token");
    }
    const serviceUrl = claims.serviceurl;
    if (typeof serviceUrl !== "string" || !sameServiceUrl(serviceUrl, activity.serviceUrl))
      return refuse("serviceurl claim differs from the activity");
    if (signing.endorsements.length > 0 && !signing.endorsements.includes(activity.channelId))
      return refuse(`key not endorsed for ${activity.channelId}`, 403);
    return { ok: true };
  }
}
