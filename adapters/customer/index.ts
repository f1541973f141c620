import type { Hono } from "hono";
import type { Logger } from "pino";
import type { CustomerLinksConfig } from "../../core/customer/config.ts";
import { customerLinks } from "../../core/customer/index.ts";
import type { CustomerLinks } from "../../core/customer/links.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { Clock, TicketStore } from "../../core/ports.ts";
import { parseDuration } from "../../core/sla/duration.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import type { HttpEnv } from "../http/env.ts";
import { customerLinksApi } from "./api.ts";
import { FormGuard } from "./form-guard.ts";
import { PageKit } from "./page-kit.ts";
import { RateLimiter } from "./rate-limit.ts";
import { statusPages } from "./status-pages.ts";
import { surveyPages } from "./survey-pages.ts";

export interface CustomerDeps {
  readonly service: TicketService;
  readonly store: TicketStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The field-encryption key: link hashes and form tokens use keys derived from it. */
  readonly secret: Buffer;
  readonly config: CustomerLinksConfig;
  readonly timeZone: string;
  readonly defaultLocale: Locale;
}

/**
 * Mounts the customer pages (GET/POST /status, GET/POST /survey, no login) and the agents' API
 * (/api/v1/tickets/:number/customer-links). Call after createHttpApp, so the API sits behind its auth.
 */
export function mountCustomerPages(app: Hono<HttpEnv>, deps: CustomerDeps): CustomerLinks {
  const { links, access } = customerLinks(deps);
  const window = parseDuration(deps.config.rateLimit.window);
  const limiter = new RateLimiter(
    {
      // Days here are plain days: a rate-limit window runs on the wall clock, not business time.
      windowMs: window.days * 86_400_000 + window.ms,
      requests: deps.config.rateLimit.requests,
      failures: deps.config.rateLimit.failures,
    },
    deps.clock,
  );
  const guard = new FormGuard(deps.secret, deps.clock, deps.config.baseUrl ? [deps.config.baseUrl] : []);
  app.route(
    "/api/v1/tickets",
    customerLinksApi({ links, logger: deps.logger, baseUrl: deps.config.baseUrl }),
  );
  const kit = new PageKit(limiter, deps.logger, deps.defaultLocale);
  app.route("/", statusPages({ access, kit, guard, clock: deps.clock, timeZone: deps.timeZone }));
  app.route("/", surveyPages({ access, kit, guard, timeZone: deps.timeZone }));
  return links;
}
