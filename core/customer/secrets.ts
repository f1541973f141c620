import { createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/**
 * A link token is a selector (finds the stored record) and a verifier (proves the holder got it from us),
 * 24 random bytes in all. The store keeps a keyed hash of each part, never the token: a copy of the store
 * alone opens no page, and the verifier is compared in constant time.
 */
export const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const SELECTOR_CHARS = 12;

/** A code read out on the phone: 8 digits, typed with or without spaces or dashes. */
export const CODE_DIGITS = 8;

export interface IssuedToken {
  readonly token: string;
  readonly id: string;
  readonly verifier: string;
}

export class LinkSecrets {
  readonly #key: Buffer;
  /** Compared against when nothing is stored, so a miss costs what a wrong secret costs. */
  readonly #decoy: string;

  constructor(secret: Buffer) {
    this.#key = Buffer.from(hkdfSync("sha256", secret, "closeloop", "customer-links-v1", 32));
    this.#decoy = this.#mac("decoy");
  }

  #mac(data: string): string {
    return createHmac("sha256", this.#key).update(data).digest("base64url");
  }

  newToken(kind: string): IssuedToken {
    const token = randomBytes(24).toString("base64url");
    return { token, ...this.tokenParts(kind, token) };
  }

  /** The stored id and verifier hash of a well-formed token. */
  tokenParts(kind: string, token: string): { id: string; verifier: string } {
    const selector = token.slice(0, SELECTOR_CHARS);
    return {
      id: this.#mac(`id:${selector}`).slice(0, 32),
      verifier: this.#mac(`${kind}:${selector}:${token.slice(SELECTOR_CHARS)}`),
    };
  }

  newCode(): string {
    return Array.from({ length: CODE_DIGITS }, () => randomInt(10)).join("");
  }

  codeVerifier(number: string, code: string): string {
    return this.#mac(`code:${number}:${code}`);
  }

  /** Constant-time: `stored` undefined (no record) compares against a decoy and is never a match. */
  matches(given: string, stored: string | undefined): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(stored ?? this.#decoy);
    const same = a.length === b.length && timingSafeEqual(a, b);
    return same && stored !== undefined;
  }
}

/** "4829 1735", "4829-1735" -> "48291735"; anything else that is not 8 digits -> undefined. */
export function normaliseCode(raw: string): string | undefined {
  const digits = raw.replace(/[\s-]/g, "");
  return new RegExp(`^\\d{${CODE_DIGITS}}$`).test(digits) ? digits : undefined;
}

/** How a code is read out: two groups of four. */
export const formatCode = (code: string): string => `${code.slice(0, 4)} ${code.slice(4)}`;
