import type { Context } from "hono";
import { Hono } from "hono";
import type { Logger } from "pino";
import { LINK_KINDS, type LinkKind } from "../../core/customer/docs.ts";
import type { CustomerLinks, LinkSummary } from "../../core/customer/links.ts";
import { formatCode } from "../../core/customer/secrets.ts";
import { DomainError } from "../../core/errors.ts";
import type { HttpEnv } from "../http/env.ts";

export interface CustomerLinksApiDeps {
  readonly links: CustomerLinks;
  readonly logger: Logger;
  /** The public origin for links; unset, the origin the agent's request came in at. */
  readonly baseUrl?: string;
}

function kindOf(raw: string): LinkKind {
  if ((LINK_KINDS as readonly string[]).includes(raw)) return raw as LinkKind;
  throw new DomainError(
    "not_found",
    {
      "zh-CN": `没有「${raw}」这种客户链接（可用：status、survey）`,
      en: `No customer link kind "${raw}" (status or survey)`,
    },
    { kind: raw },
  );
}

function originOf(c: Context, baseUrl: string | undefined): string {
  if (baseUrl) return baseUrl;
  const url = new URL(c.req.url);
  if (c.req.header("x-forwarded-proto")?.split(",")[0]?.trim() === "https") url.protocol = "https:";
  return url.origin;
}

/**
 * For agents, under /api/v1/tickets/:number/customer-links: see, issue and revoke a ticket's status link
 * (with its phone code) and survey link. The raw link and code are in the issuing answer only.
 */
export function customerLinksApi(deps: CustomerLinksApiDeps): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { links } = deps;
  const directory = links.directory;
  const named = (s: LinkSummary) => ({
    ...s,
    ...(s.issuedBy ? { issuedByName: directory.person(s.issuedBy)?.name ?? s.issuedBy } : {}),
  });

  const summary = async (c: Context<HttpEnv>, number: string) => {
    const s = await links.summary(number, c.get("actor"));
    return {
      number: s.number,
      lookupUrl: `${originOf(c, deps.baseUrl)}/status`,
      status: named(s.status),
      survey: named(s.survey),
      history: s.history.map((h) => ({ ...h, byName: directory.person(h.by)?.name ?? h.by })),
    };
  };

  app.get("/:number/customer-links", async (c) => c.json(await summary(c, c.req.param("number"))));

  app.post("/:number/customer-links/:kind", async (c) => {
    const kind = kindOf(c.req.param("kind"));
    const issued = await links.issue(c.req.param("number"), kind, c.get("actor"));
    const origin = originOf(c, deps.baseUrl);
    deps.logger.info({ ticket: issued.number, kind, by: c.get("actor") }, "customer link issued");
    return c.json(
      {
        kind,
        number: issued.number,
        url: `${origin}/${kind}?t=${issued.token}`,
        ...(issued.code ? { code: formatCode(issued.code), lookupUrl: `${origin}/status` } : {}),
        issuedAt: issued.issuedAt,
      },
      201,
      { "Cache-Control": "no-store" },
    );
  });

  app.delete("/:number/customer-links/:kind", async (c) => {
    const kind = kindOf(c.req.param("kind"));
    await links.revoke(c.req.param("number"), kind, c.get("actor"));
    deps.logger.info({ ticket: c.req.param("number"), kind, by: c.get("actor") }, "customer link revoked");
    return c.json(await summary(c, c.req.param("number")));
  });

  return app;
}
