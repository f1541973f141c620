import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import { PROBLEM_TYPE_LABELS } from "../../core/i18n/labels.ts";
import { type Locale, pickLocale } from "../../core/i18n/locale.ts";
import { parseInput } from "../../core/validate.ts";
import type { HttpEnv } from "../http/env.ts";
import { readJson } from "../http/read-json.ts";
import { isLocalCaller } from "../http/remote-address.ts";
import type { BoardDeps } from "./deps.ts";
import { bt } from "./i18n.ts";
import { contentSecurityPolicy, HOST_FRAME_ANCESTORS, type PageName, pageHtml } from "./page.ts";
import { watchedDepartments } from "./query.ts";
import type { Session } from "./session.ts";

const signInSchema = z
  .object({
    provider: z.string().min(1).max(32),
    code: z.string().min(1).max(4096),
    framed: z.boolean().default(false),
  })
  .strict();

/** Served over HTTPS, directly or behind a proxy that says so. */
export const isSecure = (c: Context): boolean =>
  new URL(c.req.url).protocol === "https:" ||
  c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https";

const localeOf = (c: Context, fallback: Locale): Locale =>
  pickLocale(c.req.header("accept-language"), fallback);

/** The board's pages, its assets and its sign-in; the data comes from /api/v1 (see api.ts). */
export function boardPages(deps: BoardDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { sessions, signIn, service } = deps;
  const directory = service.directory;
  const ancestors = [
    ...HOST_FRAME_ANCESTORS,
    ...(deps.frameAncestors ?? []),
    ...(deps.sandbox ? ["http://localhost:*", "http://127.0.0.1:*"] : []),
  ];
  const csp = contentSecurityPolicy(ancestors);
  // teams-js only listens to hosts it knows (https) and to these: the sandbox's loopback test hosts.
  const hostOrigins = [
    ...(deps.frameAncestors ?? []),
    ...(deps.sandbox ? ["http://localhost:*", "http://127.0.0.1:*"] : []),
  ];

  const page = (c: Context, name: PageName, meta: Record<string, unknown>) =>
    c.html(pageHtml(name, meta.locale as Locale, meta), 200, {
      "Content-Security-Policy": csp,
      "Cache-Control": "no-store",
    });

  const metaFor = (c: Context, session: Session, extra: Record<string, unknown> = {}) => {
    const viewer = directory.person(session.person)!;
    return {
      locale: localeOf(c, viewer.locale ?? deps.defaultLocale),
      timeZone: deps.timeZone,
      sandbox: deps.sandbox,
      csrf: sessions.csrfToken(session),
      provider: session.provider,
      hostOrigins,
      viewer: {
        id: viewer.id,
        name: viewer.name,
        roles: viewer.roles,
        departments: viewer.departments,
        heads: watchedDepartments(service, viewer),
      },
      departments: directory.departments().map((d) => ({ id: d.id, name: d.name })),
      people: directory
        .people()
        .filter((p) => p.departments.length > 0)
        .map((p) => ({ id: p.id, name: p.name, departments: p.departments })),
      problemTypes: Object.keys(PROBLEM_TYPE_LABELS),
      ...extra,
    };
  };

  /** A page for the signed-in person, or the sign-in page that comes back here afterwards. */
  const signedIn =
    (name: PageName, extra: (c: Context) => Record<string, unknown> = () => ({})) =>
    (c: Context) => {
      const session = sessions.read(c.req.header("cookie"));
      if (!session || !directory.person(session.person)) {
        const next = new URL(c.req.url);
        return c.redirect(`/board/sign-in?next=${encodeURIComponent(next.pathname + next.search)}`, 302);
      }
      return page(c, name, metaFor(c, session, { view: "board", ...extra(c) }));
    };

  app.get("/", signedIn("board"));
  app.get(
    "/late",
    signedIn("board", () => ({ view: "late" })),
  );
  app.get(
    "/tickets/:number",
    signedIn("board", (c) => ({ open: c.req.param("number") })),
  );
  app.get("/stats", signedIn("stats"));
  app.get("/kb", signedIn("kb"));
  app.get("/review", signedIn("review"));

  app.get("/sign-in", (c) => {
    const next = c.req.query("next") ?? "/board";
    return page(c, "sign-in", {
      locale: localeOf(c, deps.defaultLocale),
      sandbox: deps.sandbox,
      hostOrigins,
      next: /^\/board(\/|\?|$)/.test(next) ? next : "/board",
      providers: signIn.list(),
      people: deps.sandbox
        ? directory
            .people()
            .filter((p) => p.id !== "api")
            .map((p) => ({ id: p.id, name: p.name, roles: p.roles, departments: p.departments }))
        : [],
    });
  });

  app.post("/session", async (c) => {
    const locale = localeOf(c, deps.defaultLocale);
    if (!c.req.header("content-type")?.startsWith("application/json"))
      throw new DomainError("validation", { "zh-CN": "需要 JSON 请求体", en: "A JSON body is required" }, {});
    const body = parseInput(signInSchema, await readJson(c));
    // The sandbox's pick-a-person sign-in is for someone at this machine, as X-Closeloop-As is.
    const provider = body.provider === "sandbox" && !isLocalCaller(c) ? undefined : signIn.get(body.provider);
    const person = provider ? await provider.exchange({ code: body.code, framed: body.framed }) : undefined;
    if (!person || !directory.person(person)) {
      const reason = provider
        ? { "zh-CN": "平台没有确认这个登录", en: "the platform did not confirm this sign-in" }
        : { "zh-CN": `没有登录方式「${body.provider}」`, en: `no sign-in provider "${body.provider}"` };
      return c.json(
        {
          error: {
            code: "unauthenticated",
            message: bt(locale, "signin.failed", { reason: reason[locale] }),
            messages: {
              "zh-CN": bt("zh-CN", "signin.failed", { reason: reason["zh-CN"] }),
              en: bt("en", "signin.failed", { reason: reason.en }),
            },
          },
        },
        401,
      );
    }
    const { session, value } = sessions.issue(person, body.provider, body.framed);
    deps.logger.info({ person, provider: body.provider, framed: body.framed }, "board sign-in");
    c.header("Set-Cookie", sessions.cookie(value, session, { secure: isSecure(c) }));
    c.header("Cache-Control", "no-store");
    return c.json({
      person,
      csrf: sessions.csrfToken(session),
      expiresAt: new Date(session.expiresAt).toISOString(),
    });
  });

  app.post("/session/end", (c) => {
    const session = sessions.read(c.req.header("cookie"));
    if (
      session &&
      sessions.resolve(c.req.header("cookie"), { method: "POST", header: (n) => c.req.header(n) })
    ) {
      c.header("Set-Cookie", sessions.clearCookie(session.framed, { secure: isSecure(c) }));
    }
    return c.body(null, 204);
  });

  app.get("/assets/:name", async (c) => {
    const asset = await deps.assets.get(c.req.param("name"));
    if (!asset) return c.notFound();
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": asset.type,
      "Cache-Control": deps.sandbox ? "no-cache" : "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
    });
  });

  return app;
}
