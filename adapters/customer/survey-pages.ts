import type { Context } from "hono";
import { Hono } from "hono";
import type { CustomerAccess, SurveyOutcome } from "../../core/customer/access.ts";
import { SUGGESTION_MAX } from "../../core/customer/survey-answer.ts";
import { isDomainError } from "../../core/errors.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { TicketRecord } from "../../core/ports.ts";
import type { HttpEnv } from "../http/env.ts";
import type { FormGuard } from "./form-guard.ts";
import { type CustomerKey, ct } from "./i18n.ts";
import { languageLinks } from "./layout.ts";
import type { PageKit, PageStatus } from "./page-kit.ts";
import { messageBody, surveyBody, surveyDoneBody, timeFormat } from "./views.ts";

export interface SurveyPagesDeps {
  readonly access: CustomerAccess;
  readonly kit: PageKit;
  readonly guard: FormGuard;
  readonly timeZone: string;
}

/** GET /survey?t= (the form, or the thank-you once answered) and POST /survey (the answer). */
export function surveyPages(deps: SurveyPagesDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { access, kit, guard } = deps;
  const purpose = (token: string) => `survey:${token}`;

  /** Pages about one link: their language switch keeps the link. */
  const pagesFor = (c: Context, locale: Locale, token: string) => {
    const languages = languageLinks(locale, kit.selfLink("/survey", { t: token }));
    const title = ct(locale, "survey.title");
    return {
      closed: (status: PageStatus) =>
        kit.render(c, status, locale, title, messageBody(title, ct(locale, "survey.closed")), languages),
      done: (status: PageStatus, record: TicketRecord, first: CustomerKey) => {
        const t = record.state;
        const time = timeFormat(locale, deps.timeZone);
        const lines = [ct(locale, first)];
        if (t.remedy && !t.remedy.doneAt)
          lines.push(
            t.due.remedy
              ? ct(locale, "survey.thanksRemedy", { at: time(t.due.remedy) })
              : ct(locale, "survey.thanksRemedySoon"),
          );
        return kit.render(c, status, locale, title, surveyDoneBody(locale, t.number, lines), languages);
      },
      form: (
        status: PageStatus,
        number: string,
        values?: Record<string, string | undefined>,
        errors?: string[],
      ) =>
        kit.render(
          c,
          status,
          locale,
          title,
          surveyBody(locale, { number, token, formToken: guard.token(purpose(token)), values, errors }),
          languages,
        ),
    };
  };

  app.get(
    "/survey",
    kit.page("/survey", async (c) => {
      const locale = kit.locale(c, c.req.query("lang"));
      const token = c.req.query("t");
      if (token === undefined) return kit.invalid(c, locale, "/survey");
      const checked = await kit.secret(c, locale, "/survey", () => access.surveyByToken(token));
      if ("refusal" in checked) return checked.refusal;
      const view = checked.found;
      const pages = pagesFor(c, locale, token);
      if (view.answered) return pages.done(200, view.record, "survey.thanks");
      if (!view.open) return pages.closed(200);
      return pages.form(200, view.record.state.number);
    }),
  );

  app.post(
    "/survey",
    kit.page("/survey", async (c) => {
      const form = await kit.form(c);
      const locale = kit.locale(c, form.lang);
      const token = form.t ?? "";
      const guarded = guard.check(c, purpose(token), form.form);
      if (guarded === "cross-site") return kit.crossSite(c, locale, "/survey");
      const checked = await kit.secret(c, locale, "/survey", () => access.surveyByToken(token));
      if ("refusal" in checked) return checked.refusal;
      const view = checked.found;
      const pages = pagesFor(c, locale, token);
      const values = {
        resolutionScore: form.resolutionScore,
        attitudeScore: form.attitudeScore,
        suggestion: form.suggestion,
      };
      if (view.answered) return pages.done(409, view.record, "survey.answered");
      if (!view.open) return pages.closed(409);
      if (guarded !== "ok")
        return pages.form(400, view.record.state.number, values, [ct(locale, "form.expired")]);
      let outcome: SurveyOutcome;
      try {
        outcome = await access.answerSurvey(token, {
          resolutionScore: form.resolutionScore ?? "",
          attitudeScore: form.attitudeScore ?? "",
          suggestion: form.suggestion ?? "",
        });
      } catch (err) {
        if (!isDomainError(err) || err.code !== "validation") throw err;
        return pages.form(400, view.record.state.number, values, surveyErrors(locale, err.details));
      }
      switch (outcome.outcome) {
        case "recorded":
          return c.redirect(kit.selfLink("/survey", { t: token })(locale), 303);
        case "answered":
          return pages.done(409, outcome.record, "survey.answered");
        case "closed":
          return pages.closed(409);
        case "invalid":
          return kit.invalid(c, locale, "/survey");
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
  const pick = ct(locale, "survey.pickScore");
  if (fields.has("resolutionScore")) out.push(`${ct(locale, "survey.resolution")}: ${pick}`);
  if (fields.has("attitudeScore")) out.push(`${ct(locale, "survey.attitude")}: ${pick}`);
  if (fields.has("suggestion"))
    out.push(`${ct(locale, "survey.suggestion")}: ${ct(locale, "survey.tooLong", { n: SUGGESTION_MAX })}`);
  return out.length ? out : [ct(locale, "form.badRequest")];
}
