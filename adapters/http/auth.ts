import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Directory } from "../../core/directory/directory.ts";
import { pickLocale } from "../../core/i18n/locale.ts";
import type { HttpEnv } from "./env.ts";
import { errorBody, HTTP_TEXT } from "./errors.ts";
import { isLocalCaller } from "./remote-address.ts";

export const API_ACTOR = "api";

export interface AuthOptions {
  readonly directory: Directory;
  /** CLOSELOOP_API_TOKEN: a bearer that acts as an admin. */
  readonly apiToken?: string;
  /** Sandbox mode lets loopback callers pick a demo person with X-Closeloop-As. */
  readonly sandbox: boolean;
  readonly sandboxDefaultActor: string;
  /** Resolves a board session cookie to a person id (the board adds this); `request` lets it check CSRF. */
  readonly session?: (cookieHeader: string | undefined, request: SessionRequest) => string | undefined;
}

/** What a session hook may read of the request besides its cookies. */
export interface SessionRequest {
  readonly method: string;
  header(name: string): string | undefined;
}

/** Board pages mark their calls with this header (their CSRF token): only their session may answer them. */
export const BOARD_CALL_HEADER = "x-closeloop-csrf";

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who is calling: a valid bearer token, a board session, or (sandbox, a caller on this machine only) a chosen
 * demo person.
 */
export function authenticate(opts: AuthOptions): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const headerLocale = pickLocale(c.req.header("accept-language"));
    const refuse = (text: { "zh-CN": string; en: string }) =>
      c.json(errorBody("unauthenticated", text, headerLocale), 401, { "WWW-Authenticate": "Bearer" });

    let actor: string | undefined;
    let via: "api" | "web" = "api";
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match || !opts.apiToken || !sameSecret(match[1]!, opts.apiToken))
        return refuse(HTTP_TEXT.badToken);
      actor = API_ACTOR;
    } else {
      actor = opts.session?.(c.req.header("cookie"), {
        method: c.req.method,
        header: (n) => c.req.header(n),
      });
      if (actor) via = "web";
      else if (c.req.header(BOARD_CALL_HEADER) !== undefined) return refuse(HTTP_TEXT.unauthenticated);
      else if (opts.sandbox && isLocalCaller(c)) {
        actor = c.req.header("x-closeloop-as")?.trim() || opts.sandboxDefaultActor;
      }
    }
    if (!actor) return refuse(HTTP_TEXT.unauthenticated);
    const person = opts.directory.person(actor);
    if (!person) {
      return c.json(
        errorBody(
          "unauthenticated",
          { "zh-CN": `通讯录中没有用户「${actor}」`, en: `No person "${actor}" in the directory` },
          headerLocale,
        ),
        401,
      );
    }
    c.set("actor", actor);
    c.set("via", via);
    c.set("locale", c.req.header("accept-language") ? headerLocale : (person.locale ?? headerLocale));
    await next();
  };
}
