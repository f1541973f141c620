import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../../core/ports.ts";
import { BOARD_CALL_HEADER, type SessionRequest } from "../http/auth.ts";

export const SESSION_COOKIE = "closeloop_board";
const DEFAULT_TTL_MS = 12 * 3_600_000;

export interface Session {
  /** Random id: the CSRF token is derived from it. */
  readonly id: string;
  readonly person: string;
  /** The sign-in provider that vouched for the person (sandbox, feishu, dingtalk, teams...). */
  readonly provider: string;
  /** Signed in from inside a host's frame (Teams tab, Feishu/DingTalk web app). */
  readonly framed: boolean;
  readonly expiresAt: number;
}

export interface CookieOptions {
  /** The page was served over HTTPS (directly or behind a proxy that said so). */
  readonly secure: boolean;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Stateless board sessions: `payload.mac` in an HttpOnly cookie, HMAC-SHA256 with a key derived from the
 * field-encryption key (so a restart keeps people signed in and nothing else can mint one).
 */
export class BoardSessions {
  readonly #key: Buffer;
  readonly #clock: Clock;
  readonly #ttlMs: number;

  constructor(opts: { readonly secret?: Buffer; readonly clock: Clock; readonly ttlMs?: number }) {
    const secret = opts.secret ?? randomBytes(32);
    this.#key = Buffer.from(hkdfSync("sha256", secret, "closeloop", "board-session-v1", 32));
    this.#clock = opts.clock;
    this.#ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  }

  #mac(data: string): string {
    return createHmac("sha256", this.#key).update(data).digest("base64url");
  }

  issue(person: string, provider: string, framed: boolean): { session: Session; value: string } {
    const session: Session = {
      id: randomBytes(16).toString("base64url"),
      person,
      provider,
      framed,
      expiresAt: this.#clock.now().getTime() + this.#ttlMs,
    };
    const payload = b64(JSON.stringify(session));
    return { session, value: `${payload}.${this.#mac(payload)}` };
  }

  /** The session a cookie header carries, if its signature holds and it has not expired. */
  read(cookieHeader: string | undefined): Session | undefined {
    const value = cookieValue(cookieHeader, SESSION_COOKIE);
    const dot = value?.indexOf(".") ?? -1;
    if (!value || dot < 1) return undefined;
    const payload = value.slice(0, dot);
    if (!sameBytes(value.slice(dot + 1), this.#mac(payload))) return undefined;
    try {
      const s = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Session;
      if (typeof s.person !== "string" || typeof s.expiresAt !== "number") return undefined;
      return s.expiresAt > this.#clock.now().getTime() ? s : undefined;
    } catch {
      return undefined;
    }
  }

  csrfToken(session: Session): string {
    return this.#mac(`csrf:${session.id}`);
  }

  /**
   * The auth hook: a valid session is its person. Anything but GET/HEAD must also carry the session's CSRF
   * token, so another site cannot post with the cookie (which is SameSite=None inside a host's frame).
   */
  resolve = (cookieHeader: string | undefined, request?: SessionRequest): string | undefined => {
    const session = this.read(cookieHeader);
    if (!session) return undefined;
    const method = request?.method.toUpperCase() ?? "GET";
    if (method === "GET" || method === "HEAD") return session.person;
    const token = request?.header(BOARD_CALL_HEADER);
    return token && sameBytes(token, this.csrfToken(session)) ? session.person : undefined;
  };

  /** Set-Cookie for a session: SameSite=None; Secure; Partitioned inside a host's frame over HTTPS. */
  cookie(value: string, session: Session, opts: CookieOptions): string {
    const maxAge = Math.max(0, Math.floor((session.expiresAt - this.#clock.now().getTime()) / 1000));
    return [`${SESSION_COOKIE}=${value}`, `Max-Age=${maxAge}`, ...attributes(session.framed, opts)].join(
      "; ",
    );
  }

  clearCookie(framed: boolean, opts: CookieOptions): string {
    return [`${SESSION_COOKIE}=`, "Max-Age=0", ...attributes(framed, opts)].join("; ");
  }
}

function attributes(framed: boolean, opts: CookieOptions): string[] {
  const base = ["Path=/", "HttpOnly"];
  if (framed && opts.secure) return [...base, "Secure", "SameSite=None", "Partitioned"];
  return [...base, ...(opts.secure ? ["Secure"] : []), "SameSite=Lax"];
}
