import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "pino";
import { pickLocale } from "../../core/i18n/locale.ts";
import type { Clock } from "../../core/ports.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import { type AuthOptions, authenticate } from "./auth.ts";
import { limitBody } from "./body-limit.ts";
import type { HttpEnv } from "./env.ts";
import { DomainError, errorBody, HTTP_TEXT, statusOf } from "./errors.ts";
import { ticketRoutes } from "./tickets-routes.ts";

export interface HttpDeps {
  readonly service: TicketService;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly auth: Omit<AuthOptions, "directory">;
  readonly bodyLimit: number;
  readonly health: () => Record<string, unknown>;
}

const COMMAND_ROUTE = /^\/api\/v1\/tickets\/[^/]+\/[^/]+$/;

/** The hono app: health, the versioned API, and whatever the adapters mount on it. */
export function createHttpApp(deps: HttpDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { logger } = deps;

  app.use(secureHeaders());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: +(performance.now() - started).toFixed(1),
      },
      "request",
    );
  });
  app.use(
    limitBody(deps.bodyLimit, (c) =>
      c.json(
        errorBody("payload_too_large", HTTP_TEXT.tooLarge, pickLocale(c.req.header("accept-language")), {
          limit: deps.bodyLimit,
        }),
        413,
      ),
    ),
  );

  app.get("/healthz", (c) => c.json({ ok: true, ...deps.health() }));

  app.use("/api/*", authenticate({ ...deps.auth, directory: deps.service.directory }));
  app.route("/api/v1/tickets", ticketRoutes(deps.service, deps.clock));

  app.notFound((c) =>
    c.json(
      errorBody("not_found", HTTP_TEXT.notFound, pickLocale(c.req.header("accept-language")), {
        path: c.req.path,
      }),
      404,
    ),
  );

  app.onError((err, c) => {
    const locale = c.get("locale") ?? pickLocale(c.req.header("accept-language"));
    if (err instanceof DomainError) {
      const status = statusOf(err, c.req.method === "POST" && COMMAND_ROUTE.test(c.req.path));
      return c.json(errorBody(err.code, err.text, locale, { ...err.details }), status);
    }
    logger.error(
      { err: { name: err.name, message: err.message, stack: err.stack }, path: c.req.path },
      "unhandled",
    );
    return c.json(errorBody("internal", HTTP_TEXT.internal, locale), 500);
  });

  return app;
}
