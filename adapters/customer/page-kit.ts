import type { Context } from "hono";
import type { Logger } from "pino";
import { LOCALES, type Locale, pickLocale } from "../../core/i18n/locale.ts";
import { remoteAddress } from "../http/remote-address.ts";
import { type CustomerKey, ct } from "./i18n.ts";
import { languageLinks, PAGE_HEADERS, shell } from "./layout.ts";
import type { RateLimiter, Verdict } from "./rate-limit.ts";
import { messageBody } from "./views.ts";

export type PageStatus = 200 | 400 | 403 | 404 | 409 | 429 | 500;

/** Form fields as plain strings; a file or a field over this length makes the whole post malformed. */
const FIELD_MAX = 4000;

class MalformedForm extends Error {}

const isLocale = (v: string | undefined): v is Locale => LOCALES.includes(v as Locale);

/** What every customer page shares: picking the language, the page shell, the refusals, the rate limit. */
export class PageKit {
  readonly #limiter: RateLimiter;
  readonly #logger: Logger;
  readonly #defaultLocale: Locale;

  constructor(limiter: RateLimiter, logger: Logger, defaultLocale: Locale) {
    this.#limiter = limiter;
    this.#logger = logger;
    this.#defaultLocale = defaultLocale;
  }

  /** `?lang=` or the form's `lang`, else Accept-Language, else the configured locale. */
  locale(c: Context, chosen?: string): Locale {
    return isLocale(chosen) ? chosen : pickLocale(c.req.header("accept-language"), this.#defaultLocale);
  }

  render(c: Context, status: PageStatus, locale: Locale, title: string, body: string, languages: string) {
    return c.html(shell({ locale, title, body, languages }), status, PAGE_HEADERS);
  }

  /** The same page in another language: its path and parameters, plus `lang`. */
  selfLink(path: string, params: Record<string, string> = {}): (locale: Locale) => string {
    return (locale) => `${path}?${new URLSearchParams({ ...params, lang: locale })}`;
  }

  message(c: Context, status: PageStatus, locale: Locale, title: CustomerKey, text: string, path: string) {
    const heading = ct(locale, title);
    return this.render(
      c,
      status,
      locale,
      heading,
      messageBody(heading, text),
      languageLinks(locale, this.selfLink(path)),
    );
  }

  limited(c: Context, locale: Locale, verdict: Verdict & { ok: false }, path: string) {
    c.header("Retry-After", String(Math.ceil(verdict.retryAfterMs / 1000)));
    const minutes = Math.max(1, Math.ceil(verdict.retryAfterMs / 60_000));
    return this.message(c, 429, locale, "limited.title", ct(locale, "limited.body", { minutes }), path);
  }

  /** The one answer for every link that does not open: unknown, revoked, malformed, of another kind. */
  invalid(c: Context, locale: Locale, path: string) {
    return this.message(c, 404, locale, "invalid.title", ct(locale, "invalid.body"), path);
  }

  crossSite(c: Context, locale: Locale, path: string) {
    return this.message(c, 403, locale, "form.crossSite.title", ct(locale, "form.crossSite.body"), path);
  }

  /**
   * Checks a secret within the client's budget of failures: `undefined` from `check` counts as a failure
   * and answers with `refused` (by default the invalid-link page). Returns the refusal, or what was found.
   */
  async secret<T>(
    c: Context,
    locale: Locale,
    path: string,
    check: () => Promise<T | undefined>,
    refused: () => Response | Promise<Response> = () => this.invalid(c, locale, path),
  ): Promise<{ found: T } | { refusal: Response }> {
    const addr = remoteAddress(c);
    const may = this.#limiter.mayCheck(addr);
    if (!may.ok) return { refusal: await this.limited(c, locale, may, path) };
    const found = await check();
    if (found === undefined) {
      this.#limiter.failed(addr);
      return { refusal: await refused() };
    }
    return { found };
  }

  /** Runs a page within the client's request budget; anything unexpected becomes a plain error page. */
  page(path: string, handler: (c: Context) => Promise<Response>) {
    return async (c: Context): Promise<Response> => {
      const verdict = this.#limiter.request(remoteAddress(c));
      if (!verdict.ok) return this.limited(c, this.locale(c, c.req.query("lang")), verdict, path);
      try {
        return await handler(c);
      } catch (err) {
        const locale = this.locale(c, c.req.query("lang"));
        if (err instanceof MalformedForm)
          return this.message(c, 400, locale, "error.title", ct(locale, "form.badRequest"), path);
        // The request's secrets are in its query or body, neither of which is logged.
        this.#logger.error(
          { err: { name: (err as Error).name, message: (err as Error).message }, path },
          "customer page failed",
        );
        return this.message(c, 500, locale, "error.title", ct(locale, "error.body"), path);
      }
    };
  }

  /** A urlencoded form post as plain strings, or a 400 page. */
  async form(c: Context): Promise<Record<string, string>> {
    const type = c.req.header("content-type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) throw new MalformedForm("not a form post");
    const body = await c.req.parseBody();
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v !== "string" || v.length > FIELD_MAX) throw new MalformedForm(`field ${k}`);
      out[k] = v;
    }
    return out;
  }
}
