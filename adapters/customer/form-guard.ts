import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import type { Clock } from "../../core/ports.ts";

/** How long a served form may be sent back: a customer may leave the survey open for a while. */
const FORM_TTL_MS = 24 * 3_600_000;

export type FormCheck = "ok" | "cross-site" | "expired";

/**
 * CSRF guard for the customer forms, without cookies (in-app browsers of chat apps drop them freely):
 * the browser must not say the post came from another site (Origin, Sec-Fetch-Site), and the form must
 * carry a token this server signed for this very form, recently.
 */
export class FormGuard {
  readonly #key: Buffer;
  readonly #clock: Clock;
  readonly #origins: ReadonlySet<string>;

  constructor(secret: Buffer, clock: Clock, trustedOrigins: readonly string[] = []) {
    this.#key = Buffer.from(hkdfSync("sha256", secret, "closeloop", "customer-forms-v1", 32));
    this.#clock = clock;
    this.#origins = new Set(trustedOrigins);
  }

  #mac(purpose: string, issued: string): string {
    return createHmac("sha256", this.#key).update(`${purpose}:${issued}`).digest("base64url");
  }

  /** A token for a form about `purpose` (the lookup form, or one survey link's form). */
  token(purpose: string): string {
    const issued = this.#clock.now().getTime().toString(36);
    return `${issued}.${this.#mac(purpose, issued)}`;
  }

  check(c: Context, purpose: string, token: string | undefined): FormCheck {
    if (!this.#sameSite(c)) return "cross-site";
    const [issued = "", mac = ""] = (token ?? "").split(".");
    const expected = Buffer.from(this.#mac(purpose, issued));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "expired";
    const age = this.#clock.now().getTime() - Number.parseInt(issued, 36);
    return age >= 0 && age <= FORM_TTL_MS ? "ok" : "expired";
  }

  #sameSite(c: Context): boolean {
    // Browsers that send Sec-Fetch-Site say it plainly (scripts cannot forge it); older ones send Origin.
    const site = c.req.header("sec-fetch-site");
    if (site) return site === "same-origin" || site === "none";
    const origin = c.req.header("origin");
    if (origin === undefined) return true;
    if (this.#origins.has(origin)) return true;
    try {
      return new URL(origin).host === new URL(c.req.url).host;
    } catch {
      return false;
    }
  }
}
