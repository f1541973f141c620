import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatCode, LinkSecrets, normaliseCode, TOKEN } from "../../core/customer/secrets.ts";

describe("customer link secrets", () => {
  const secrets = new LinkSecrets(randomBytes(32));

  it("makes unguessable tokens whose stored parts reveal neither half", () => {
    const a = secrets.newToken("status");
    const b = secrets.newToken("status");
    expect(a.token).toMatch(TOKEN);
    expect(a.token).not.toBe(b.token);
    expect(a.id).not.toContain(a.token.slice(0, 12));
    expect(a.verifier).not.toContain(a.token.slice(12));
    expect(secrets.tokenParts("status", a.token)).toEqual({ id: a.id, verifier: a.verifier });
    // The kind is part of the verifier: a survey token is no status token.
    expect(secrets.tokenParts("survey", a.token).id).toBe(a.id);
    expect(secrets.tokenParts("survey", a.token).verifier).not.toBe(a.verifier);
  });

  it("keys the hashes: another server key gives other hashes for the same secrets", () => {
    const other = new LinkSecrets(randomBytes(32));
    const t = secrets.newToken("status");
    expect(other.tokenParts("status", t.token)).not.toEqual(secrets.tokenParts("status", t.token));
    expect(other.codeVerifier("CS2026110001", "12345678")).not.toBe(
      secrets.codeVerifier("CS2026110001", "12345678"),
    );
  });

  it("binds a code to its ticket number", () => {
    expect(secrets.codeVerifier("CS2026110001", "12345678")).not.toBe(
      secrets.codeVerifier("CS2026110002", "12345678"),
    );
  });

  it("never matches when nothing is stored, and matches only the same hash", () => {
    const v = secrets.codeVerifier("CS2026110001", "12345678");
    expect(secrets.matches(v, v)).toBe(true);
    expect(secrets.matches(v, secrets.codeVerifier("CS2026110001", "12345679"))).toBe(false);
    expect(secrets.matches(v, undefined)).toBe(false);
    expect(secrets.matches("", undefined)).toBe(false);
    expect(secrets.matches(v, "short")).toBe(false);
  });

  it("makes 8-digit codes and reads them back however they were typed", () => {
    for (let i = 0; i < 20; i++) expect(secrets.newCode()).toMatch(/^\d{8}$/);
    expect(normaliseCode("4829 1735")).toBe("48291735");
    expect(normaliseCode("4829-1735")).toBe("48291735");
    expect(normaliseCode("482917")).toBeUndefined();
    expect(normaliseCode("4829173a")).toBeUndefined();
    expect(normaliseCode("482917350")).toBeUndefined();
    expect(formatCode("48291735")).toBe("4829 1735");
  });
});
