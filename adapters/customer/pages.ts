import type { Context } from "hono";
import { Hono } from "hono";
import type { Logger } from "pino";
import type { CustomerLinks } from "../../core/customer/links.ts";
import { publicProgress } from "../../core/customer/progress.ts";
import { SUGGESTION_MAX } from "../../core/customer/survey-answer.ts";
import { isDomainError } from "../../core/errors.ts";
import { LOCALES, type Locale, pickLocale } from "../../core/i18n/locale.ts";
import type { Clock, TicketRecord } from "../../core/ports.ts";
import type { HttpEnv } from "../http/env.ts";
import { remoteAddress } from "../http/remote-address.ts";
import type { FormGuard } from "./form-guard.ts";
import { type CustomerKey, ct } from "./i18n.ts";
import { languageButtons, languageLinks, PAGE_HEADERS, shell } from "./layout.ts";
import type { RateLimiter, Verdict } from "./rate-limit.ts";
import { lookupBody, messageBody, statusBody, surveyBody, surveyDoneBody, timeFormat } from "./views.ts";

export interface CustomerPagesDeps {
  readonly links: CustomerLinks;
  readonly limiter: RateLimiter;
  readonly guard: FormGuard;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeZone: string;
  readonly defaultLocale: Locale;
}

type Status = 200 | 400 | 403 | 404 | 409 | 429 | 500;

/** Form fields as plain strings; a file or a field over this length makes the whole post malformed. */
const FIELD_MAX = 4000;

class MalformedForm extends Error {}

async function readForm(c: Context): Promise<Record<string, string>> {
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

const isLocale = (v: string | undefined): v is Locale => LOCALES.includes(v as Locale);

/** The public pages: look a ticket up (link or number + code), and answer its survey. No login, no script. */
export function customerPages(deps: CustomerPagesDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { links, limiter, guard } = deps;
  const directory = links.directory;

  const localeOf = (c: Context, chosen?: string): Locale =>
    isLocale(chosen) ? chosen : pickLocale(c.req.header("accept-language"), deps.defaultLocale);

  const render = (
    c: Context,
    status: Status,
    locale: Locale,
    title: string,
    body: string,
    languages: string,
  ) => c.html(shell({ locale, title, body, languages }), status, PAGE_HEADERS);

  const selfLinks = (path: string, params: Record<string, string>) => (locale: Locale) =>
    `${path}?${new URLSearchParams({ ...params, lang: locale })}`;

  const message = (
    c: Context,
    status: Status,
    locale: Locale,
    title: CustomerKey,
    text: string,
    path: string,
  ) =>
    render(
      c,
      status,
      locale,
      ct(locale, title),
      messageBody(ct(locale, title), text),
      languageLinks(locale, selfLinks(path, {})),
    );

  const limited = (c: Context, locale: Locale, v: Verdict & { ok: false }, path: string) => {
    c.header("Retry-After", String(Math.ceil(v.retryAfterMs / 1000)));
    const minutes = Math.max(1, Math.ceil(v.retryAfterMs / 60_000));
    return message(c, 429, locale, "limited.title", ct(locale, "limited.body", { minutes }), path);
  };

  const invalid = (c: Context, locale: Locale, path: string) =>
    message(c, 404, locale, "invalid.title", ct(locale, "invalid.body"), path);

  const statusPage = (
    c: Context,
    status: Status,
    locale: Locale,
    record: TicketRecord,
    languages: string,
  ) => {
    const progress = publicProgress(record, directory, deps.clock.now());
    const time = timeFormat(locale, deps.timeZone);
    return render(
      c,
      status,
      locale,
      ct(locale, "status.title"),
      statusBody(locale, progress, time),
      languages,
    );
  };

  const lookupPage = (c: Context, status: Status, locale: Locale, number?: string, errors?: string[]) =>
    render(
      c,
      status,
      locale,
      ct(locale, "lookup.title"),
      lookupBody(locale, { formToken: guard.token("lookup"), number, errors }),
      languageLinks(locale, selfLinks("/status", {})),
    );

  /** Runs a page; anything unexpected becomes a plain error page, logged without the request's secrets. */
  const guarded =
    (path: string, handler: (c: Context, addr: string | undefined) => Promise<Response>) =>
    async (c: Context) => {
      const addr = remoteAddress(c);
      const verdict = limiter.request(addr);
      if (!verdict.ok) return limited(c, localeOf(c, c.req.query("lang")), verdict, path);
      try {
        return await handler(c, addr);
      } catch (err) {
        const locale = localeOf(c, c.req.query("lang"));
        if (err instanceof MalformedForm)
          return message(c, 400, locale, "error.title", ct(locale, "form.badRequest"), path);
        deps.logger.error(
          { err: { name: (err as Error).name, message: (err as Error).message }, path },
          "customer page failed",
        );
        return message(c, 500, locale, "error.title", ct(locale, "error.body"), path);
      }
    };

  app.get(
    "/status",
    guarded("/status", async (c, addr) => {
      const locale = localeOf(c, c.req.query("lang"));
      const token = c.req.query("t");
      if (token === undefined) return lookupPage(c, 200, locale);
      const may = limiter.mayCheck(addr);
      if (!may.ok) return limited(c, locale, may, "/status");
      const record = await links.statusByToken(token);
      if (!record) {
        limiter.failed(addr);
        return invalid(c, locale, "/status");
      }
      return statusPage(c, 200, locale, record, languageLinks(locale, selfLinks("/status", { t: token })));
    }),
  );

  app.post(
    "/status",
    guarded("/status", async (c, addr) => {
      const form = await readForm(c);
      const locale = localeOf(c, form.lang);
      const number = (form.number ?? "").trim().slice(0, 40);
      const checked = guard.check(c, "lookup", form.form);
      if (checked === "cross-site")
        return message(c, 403, locale, "form.crossSite.title", ct(locale, "form.crossSite.body"), "/status");
      if (checked === "expired") return lookupPage(c, 400, locale, number, [ct(locale, "form.expired")]);
      const errors = [
        ...(/^[A-Za-z0-9\s]{1,40}$/.test(number) ? [] : [ct(locale, "lookup.numberInvalid")]),
        ...(/^[\d\s-]{8,20}$/.test(form.code ?? "") && (form.code ?? "").replace(/\D/g, "").length === 8
          ? []
          : [ct(locale, "lookup.codeInvalid")]),
      ];
      if (errors.length) return lookupPage(c, 400, locale, number, errors);
      const may = limiter.mayCheck(addr);
      if (!may.ok) return limited(c, locale, may, "/status");
      const record = await links.statusByCode(number, form.code ?? "");
      if (!record) {
        limiter.failed(addr);
        return lookupPage(c, 404, locale, number, [ct(locale, "lookup.wrong")]);
      }
      const again = { number, code: form.code ?? "", form: guard.token("lookup") };
      return statusPage(c, 200, locale, record, languageButtons(locale, "/status", again));
    }),
  );

  const surveyThanks = (
    c: Context,
    status: Status,
    locale: Locale,
    record: TicketRecord,
    first: CustomerKey,
    token: string,
  ) => {
    const t = record.state;
    const time = timeFormat(locale, deps.timeZone);
    const remedyOpen = t.remedy !== undefined && !t.remedy.doneAt;
    const lines = [
      ct(locale, first),
      ...(remedyOpen
        ? [
            t.due.remedy
              ? ct(locale, "survey.thanksRemedy", { at: time(t.due.remedy) })
              : ct(locale, "survey.thanksRemedySoon"),
          ]
        : []),
    ];
    return render(
      c,
      status,
      locale,
      ct(locale, "survey.title"),
      surveyDoneBody(locale, t.number, lines),
      languageLinks(locale, selfLinks("/survey", { t: token })),
    );
  };

  app.get(
    "/survey",
    guarded("/survey", async (c, addr) => {
      const locale = localeOf(c, c.req.query("lang"));
      const token = c.req.query("t");
      if (token === undefined) return invalid(c, locale, "/survey");
      const may = limiter.mayCheck(addr);
      if (!may.ok) return limited(c, locale, may, "/survey");
      const view = await links.surveyByToken(token);
      if (!view) {
        limiter.failed(addr);
        return invalid(c, locale, "/survey");
      }
      const languages = languageLinks(locale, selfLinks("/survey", { t: token }));
      if (view.answered) return surveyThanks(c, 200, locale, view.record, "survey.thanks", token);
      if (!view.open)
        return render(
          c,
          200,
          locale,
          ct(locale, "survey.title"),
          messageBody(ct(locale, "survey.title"), ct(locale, "survey.closed")),
          languages,
        );
      const body = surveyBody(locale, {
        number: view.record.state.number,
        token,
        formToken: guard.token(`survey:${token}`),
      });
      return render(c, 200, locale, ct(locale, "survey.title"), body, languages);
    }),
  );

  app.post(
    "/survey",
    guarded("/survey", async (c, addr) => {
      const form = await readForm(c);
      const locale = localeOf(c, form.lang);
      const token = form.t ?? "";
      if (guard.check(c, `survey:${token}`, form.form) === "cross-site")
        return message(c, 403, locale, "form.crossSite.title", ct(locale, "form.crossSite.body"), "/survey");
      const may = limiter.mayCheck(addr);
      if (!may.ok) return limited(c, locale, may, "/survey");
      const view = await links.surveyByToken(token);
      if (!view) {
        limiter.failed(addr);
        return invalid(c, locale, "/survey");
      }
      const languages = languageLinks(locale, selfLinks("/survey", { t: token }));
      const again = (status: Status, errors: string[]) =>
        render(
          c,
          status,
          locale,
          ct(locale, "survey.title"),
          surveyBody(locale, {
            number: view.record.state.number,
            token,
            formToken: guard.token(`survey:${token}`),
            values: {
              resolutionScore: form.resolutionScore,
              attitudeScore: form.attitudeScore,
              suggestion: form.suggestion,
            },
            errors,
          }),
          languages,
        );
      if (view.answered) return surveyThanks(c, 409, locale, view.record, "survey.answered", token);
      if (!view.open)
        return render(
          c,
          409,
          locale,
          ct(locale, "survey.title"),
          messageBody(ct(locale, "survey.title"), ct(locale, "survey.closed")),
          languages,
        );
      if (guard.check(c, `survey:${token}`, form.form) !== "ok")
        return again(400, [ct(locale, "form.expired")]);
      let outcome: Awaited<ReturnType<CustomerLinks["answerSurvey"]>>;
      try {
        outcome = await links.answerSurvey(token, {
          resolutionScore: form.resolutionScore ?? "",
          attitudeScore: form.attitudeScore ?? "",
          suggestion: form.suggestion ?? "",
        });
      } catch (err) {
        if (isDomainError(err) && err.code === "validation")
          return again(400, surveyErrors(locale, err.details));
        throw err;
      }
      switch (outcome.outcome) {
        case "recorded":
          return c.redirect(selfLinks("/survey", { t: token })(locale), 303);
        case "answered":
          return surveyThanks(c, 409, locale, outcome.record, "survey.answered", token);
        case "closed":
          return render(
            c,
            409,
            locale,
            ct(locale, "survey.title"),
            messageBody(ct(locale, "survey.title"), ct(locale, "survey.closed")),
            languages,
          );
        case "invalid":
          return invalid(c, locale, "/survey");
      }
    }),
  );

  return app;
}

/** The survey's field problems in the customer's language. */
function surveyErrors(locale: Locale, details: Readonly<Record<string, unknown>>): string[] {
  const issues = (details.issues as { field: string }[] | undefined) ?? [];
  const fields = new Set(issues.map((i) => i.field));
  const out: string[] = [];
  if (fields.has("resolutionScore"))
    out.push(`${ct(locale, "survey.resolution")}: ${ct(locale, "survey.pickScore")}`);
  if (fields.has("attitudeScore"))
    out.push(`${ct(locale, "survey.attitude")}: ${ct(locale, "survey.pickScore")}`);
  if (fields.has("suggestion"))
    out.push(`${ct(locale, "survey.suggestion")}: ${ct(locale, "survey.tooLong", { n: SUGGESTION_MAX })}`);
  return out.length ? out : [ct(locale, "form.badRequest")];
}
