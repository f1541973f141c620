import { describe, expect, it } from "vitest";
import { BoardSessions } from "../../adapters/board/session.ts";
import { SignInRegistry } from "../../adapters/board/sign-in.ts";
import { ManualClock } from "../support/manual-clock.ts";

const secret = Buffer.alloc(32, 7);
const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;
const post = (csrf?: string) => ({
  method: "POST",
  header: (n: string) => (n === "x-closeloop-csrf" ? csrf : undefined),
});

describe("board sessions", () => {
  it("reads back what it issued, and nothing tampered with", () => {
    const clock = new ManualClock("2026-11-20T02:00:00Z");
    const sessions = new BoardSessions({ secret, clock });
    const { session, value } = sessions.issue("eng-liu", "sandbox", false);
    const cookie = cookieOf(sessions.cookie(value, session, { secure: false }));
    expect(sessions.read(cookie)?.person).toBe("eng-liu");
    expect(sessions.resolve(cookie, { method: "GET", header: () => undefined })).toBe("eng-liu");

    const [payload, mac] = value.split(".");
    const forged = Buffer.from(JSON.stringify({ ...session, person: "admin" })).toString("base64url");
    expect(sessions.read(`closeloop_board=${forged}.${mac}`)).toBeUndefined();
    expect(sessions.read(`closeloop_board=${payload}.${mac}x`)).toBeUndefined();
    // Another key (another deployment) does not accept it.
    expect(new BoardSessions({ secret: Buffer.alloc(32, 8), clock }).read(cookie)).toBeUndefined();
  });

  it("expires", () => {
    const clock = new ManualClock("2026-11-20T02:00:00Z");
    const sessions = new BoardSessions({ secret, clock, ttlMs: 60_000 });
    const { value } = sessions.issue("eng-liu", "sandbox", false);
    clock.advance(59_000);
    expect(sessions.read(`closeloop_board=${value}`)).toBeDefined();
    clock.advance(2_000);
    expect(sessions.read(`closeloop_board=${value}`)).toBeUndefined();
  });

  it("needs the session's CSRF token for anything but GET", () => {
    const sessions = new BoardSessions({ secret, clock: new ManualClock(Date.now()) });
    const a = sessions.issue("eng-liu", "sandbox", false);
    const b = sessions.issue("eng-sun", "sandbox", false);
    const cookie = `closeloop_board=${a.value}`;
    expect(sessions.resolve(cookie, post())).toBeUndefined();
    expect(sessions.resolve(cookie, post(sessions.csrfToken(b.session)))).toBeUndefined();
    expect(sessions.resolve(cookie, post(sessions.csrfToken(a.session)))).toBe("eng-liu");
  });

  it("sets SameSite=None; Secure; Partitioned only inside a host's frame over HTTPS", () => {
    const sessions = new BoardSessions({ secret, clock: new ManualClock(Date.now()) });
    const framed = sessions.issue("eng-liu", "teams", true);
    const plain = sessions.issue("eng-liu", "sandbox", false);
    const attrs = (s: string) => s.split("; ").slice(1);
    expect(attrs(sessions.cookie(framed.value, framed.session, { secure: true }))).toEqual(
      expect.arrayContaining(["HttpOnly", "Secure", "SameSite=None", "Partitioned", "Path=/"]),
    );
    expect(attrs(sessions.cookie(framed.value, framed.session, { secure: false }))).toContain("SameSite=Lax");
    const lax = attrs(sessions.cookie(plain.value, plain.session, { secure: true }));
    expect(lax).toEqual(expect.arrayContaining(["HttpOnly", "Secure", "SameSite=Lax"]));
    expect(lax).not.toContain("SameSite=None");
  });
});

describe("sign-in registry", () => {
  it("registers one provider per id and lists only public settings", async () => {
    const registry = new SignInRegistry();
    const unregister = registry.register({
      id: "feishu",
      label: { "zh-CN": "飞书", en: "Feishu" },
      client: { appId: "cli_test" },
      exchange: async ({ code }) => (code === "good" ? "eng-liu" : undefined),
    });
    expect(() =>
      registry.register({ id: "feishu", label: { "zh-CN": "", en: "" }, exchange: async () => undefined }),
    ).toThrow(/already/);
    expect(() =>
      registry.register({ id: "Bad Id", label: { "zh-CN": "", en: "" }, exchange: async () => undefined }),
    ).toThrow();
    expect(registry.list()).toEqual([
      { id: "feishu", label: { "zh-CN": "飞书", en: "Feishu" }, client: { appId: "cli_test" } },
    ]);
    expect(await registry.get("feishu")!.exchange({ code: "good", framed: true })).toBe("eng-liu");
    unregister();
    expect(registry.get("feishu")).toBeUndefined();
  });
});
