import type { Context } from "hono";
import { Hono } from "hono";
import type { CustomerAccess } from "../../core/customer/access.ts";
import { publicProgress } from "../../core/customer/progress.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { Clock, TicketRecord } from "../../core/ports.ts";
import type { HttpEnv } from "../http/env.ts";
import type { FormGuard } from "./form-guard.ts";
import { ct } from "./i18n.ts";
import { languageButtons, languageLinks } from "./layout.ts";
import type { PageKit, PageStatus } from "./page-kit.ts";
import { lookupBody, statusBody, timeFormat } from "./views.ts";

export interface StatusPagesDeps {
  readonly access: CustomerAccess;
  readonly kit: PageKit;
  readonly guard: FormGuard;
  readonly clock: Clock;
  readonly timeZone: string;
}

const NUMBER = /^[A-Za-z0-9\s]{1,40}$/;
const CODE = /^[\d\s-]{8,20}$/;

/** GET /status?t= (by link), GET /status (the lookup form), POST /status (by number and phone code). */
export function statusPages(deps: StatusPagesDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { access, kit, guard } = deps;

  const progressPage = (c: Context, locale: Locale, record: TicketRecord, languages: string) => {
    const progress = publicProgress(record, access.directory, deps.clock.now());
    const body = statusBody(locale, progress, timeFormat(locale, deps.timeZone));
    return kit.render(c, 200, locale, ct(locale, "status.title"), body, languages);
  };

  const lookupPage = (c: Context, status: PageStatus, locale: Locale, number?: string, errors?: string[]) =>
    kit.render(
      c,
      status,
      locale,
      ct(locale, "lookup.title"),
      lookupBody(locale, { formToken: guard.token("lookup"), number, errors }),
      languageLinks(locale, kit.selfLink("/status")),
    );

  app.get(
    "/status",
    kit.page("/status", async (c) => {
      const locale = kit.locale(c, c.req.query("lang"));
      const token = c.req.query("t");
      if (token === undefined) return lookupPage(c, 200, locale);
      const checked = await kit.secret(c, locale, "/status", () => access.statusByToken(token));
      if ("refusal" in checked) return checked.refusal;
      return progressPage(
        c,
        locale,
        checked.found,
        languageLinks(locale, kit.selfLink("/status", { t: token })),
      );
    }),
  );

  app.post(
    "/status",
    kit.page("/status", async (c) => {
      const form = await kit.form(c);
      const locale = kit.locale(c, form.lang);
      const number = (form.number ?? "").trim().slice(0, 40);
      const code = form.code ?? "";
      const guarded = guard.check(c, "lookup", form.form);
      if (guarded === "cross-site") return kit.crossSite(c, locale, "/status");
      if (guarded === "expired") return lookupPage(c, 400, locale, number, [ct(locale, "form.expired")]);
      // Only the format is judged here: it says nothing about which tickets exist.
      const errors = [
        ...(NUMBER.test(number) ? [] : [ct(locale, "lookup.numberInvalid")]),
        ...(CODE.test(code) && code.replace(/\D/g, "").length === 8
          ? []
          : [ct(locale, "lookup.codeInvalid")]),
      ];
      if (errors.length) return lookupPage(c, 400, locale, number, errors);
      // A wrong code answers with the form again, the same for every reason it is wrong.
      const checked = await kit.secret(
        c,
        locale,
        "/status",
        () => access.statusByCode(number, code),
        () => lookupPage(c, 404, locale, number, [ct(locale, "lookup.wrong")]),
      );
      if ("refusal" in checked) return checked.refusal;
      const again = { number, code, form: guard.token("lookup") };
      return progressPage(c, locale, checked.found, languageButtons(locale, "/status", again));
    }),
  );

  return app;
}
