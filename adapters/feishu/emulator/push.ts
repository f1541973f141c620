import { createCipheriv, createHash, randomBytes } from "node:crypto";

/** base64(IV ‖ AES-256-CBC(plaintext)), key = SHA-256(Encrypt Key): how Feishu encrypts a pushed body. */
export function encryptBody(encryptKey: string, plaintext: string): string {
  const key = createHash("sha256").update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

/** X-Lark-Signature: hex SHA-256 of timestamp + nonce + Encrypt Key + body. */
export const signBody = (timestamp: string, nonce: string, encryptKey: string, body: string): string =>
  createHash("sha256")
    .update(timestamp + nonce + encryptKey + body)
    .digest("hex");

export interface PushOptions {
  /** Seconds added to the signing timestamp (negative: an old, replayed request). */
  readonly skewSec?: number;
  /** Corrupt the signature after computing it. */
  readonly forgeSignature?: boolean;
}

export interface SignedRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** The request Feishu would send for this envelope: compact JSON, encrypted and signed when a key is set. */
export function signedRequest(
  envelope: unknown,
  encryptKey: string | undefined,
  opts: PushOptions = {},
): SignedRequest {
  const plain = JSON.stringify(envelope);
  const body = encryptKey ? JSON.stringify({ encrypt: encryptBody(encryptKey, plain) }) : plain;
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (encryptKey) {
    const timestamp = String(Math.floor(Date.now() / 1000) + (opts.skewSec ?? 0));
    const nonce = randomBytes(8).toString("hex");
    let signature = signBody(timestamp, nonce, encryptKey, body);
    if (opts.forgeSignature) signature = signature.replace(/^./, (c) => (c === "0" ? "1" : "0"));
    headers["x-lark-request-timestamp"] = timestamp;
    headers["x-lark-request-nonce"] = nonce;
    headers["x-lark-signature"] = signature;
  }
  return { body, headers };
}
