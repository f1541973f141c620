import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

/** Contact data as it is stored: ciphertext, a masked form for display, and a keyed hash for exact lookups. */
export interface SealedContact {
  readonly cipher: string;
  readonly masked: string;
  readonly hash: string;
}

export function parseKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error(
      `CLOSELOOP_SECRET_KEY must be 32 bytes (64 hex characters or 44 base64 characters); got ${key.length} bytes`,
    );
  }
  return key;
}

export function generateKey(): string {
  return randomBytes(32).toString("base64");
}

/** AES-256-GCM for contact fields; the lookup hash uses a separate key derived from the same secret. */
export class FieldCipher {
  readonly #key: Buffer;
  readonly #hashKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("field cipher key must be 32 bytes");
    this.#key = key;
    this.#hashKey = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "closeloop contact lookup", 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString("base64url"), tag.toString("base64url"), body.toString("base64url")].join(
      ".",
    );
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, body] = sealed.split(".");
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("not a sealed field");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  }

  lookupHash(plain: string): string {
    return createHmac("sha256", this.#hashKey).update(normalisePhone(plain)).digest("base64url");
  }
}

export function normalisePhone(raw: string): string {
  const digits = raw.replace(/[^\d+]/g, "");
  return digits.replace(/^\+?86(?=1\d{10}$)/, "");
}
