import { createHash, timingSafeEqual } from "node:crypto";
import { AESCipher } from "@larksuiteoapi/node-sdk";
import { z } from "zod";

/** A pushed request older or newer than this is refused as a replay. */
export const MAX_SKEW_MS = 5 * 60_000;

export const envelopeSchema = z
  .object({
    schema: z.literal("2.0"),
    header: z
      .object({
        event_id: z.string().min(1),
        event_type: z.string().min(1),
        token: z.string().optional(),
        app_id: z.string().optional(),
        create_time: z.string().optional(),
      })
      .loose(),
    event: z.record(z.string(), z.unknown()),
  })
  .loose();

export type Envelope = z.infer<typeof envelopeSchema>;

export type Verified =
  | { readonly kind: "challenge"; readonly challenge: string }
  | { readonly kind: "envelope"; readonly envelope: Envelope }
  | { readonly kind: "refused"; readonly reason: string };

export interface VerifyOptions {
  readonly verificationToken?: string;
  readonly encryptKey?: string;
  readonly appId: string;
  readonly now: number;
}

// The cipher hashes its key when made: one per Encrypt Key, not one per request.
const ciphers = new Map<string, AESCipher>();
function cipherFor(encryptKey: string): AESCipher {
  let cipher = ciphers.get(encryptKey);
  if (!cipher) {
    if (ciphers.size >= 8) ciphers.clear();
    cipher = new AESCipher(encryptKey);
    ciphers.set(encryptKey, cipher);
  }
  return cipher;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Checks one pushed request: signature and freshness (when an Encrypt Key is set), decryption, the
 * verification token inside the envelope and the app id. The reason for a refusal is for the log only.
 */
export function verifyPush(
  raw: string,
  headers: Record<string, string | undefined>,
  o: VerifyOptions,
): Verified {
  let outer: unknown;
  try {
    outer = JSON.parse(raw);
  } catch {
    return { kind: "refused", reason: "body is not JSON" };
  }
  if (!isObject(outer)) return { kind: "refused", reason: "body is not a JSON object" };
  const ts = headers["x-lark-request-timestamp"];
  const nonce = headers["x-lark-request-nonce"];
  const sig = headers["x-lark-signature"];
  const signed = Boolean(ts && nonce && sig);
  if (o.encryptKey && signed) {
    const expected = createHash("sha256")
      .update(ts! + nonce! + o.encryptKey + raw)
      .digest("hex");
    if (!equal(expected, sig!)) return { kind: "refused", reason: "signature mismatch" };
    const at = Number(ts) * 1000;
    if (!Number.isFinite(at) || Math.abs(o.now - at) > MAX_SKEW_MS)
      return {
        kind: "refused",
        reason: `timestamp ${ts} outside the ${MAX_SKEW_MS / 60_000}-minute window (replay?)`,
      };
  }
  let body = outer;
  if (typeof outer.encrypt === "string") {
    if (!o.encryptKey) return { kind: "refused", reason: "encrypted body but FEISHU_ENCRYPT_KEY is not set" };
    let decrypted: unknown;
    try {
      decrypted = JSON.parse(cipherFor(o.encryptKey).decrypt(outer.encrypt));
    } catch {
      return { kind: "refused", reason: "cannot decrypt the body (wrong FEISHU_ENCRYPT_KEY?)" };
    }
    if (!isObject(decrypted)) return { kind: "refused", reason: "decrypted body is not a JSON object" };
    body = decrypted;
  }
  // The URL check may come unsigned (the platform's docs do not say); its token is checked all the same.
  if (body.type === "url_verification") {
    if (o.verificationToken && body.token !== o.verificationToken)
      return { kind: "refused", reason: "url_verification with a wrong verification token" };
    return typeof body.challenge === "string"
      ? { kind: "challenge", challenge: body.challenge }
      : { kind: "refused", reason: "url_verification without a challenge" };
  }
  if (o.encryptKey && !signed) return { kind: "refused", reason: "signature headers missing" };
  if (o.encryptKey && typeof outer.encrypt !== "string")
    return { kind: "refused", reason: "body not encrypted although an Encrypt Key is set" };
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) return { kind: "refused", reason: "not a v2 event envelope" };
  const { header } = parsed.data;
  if (o.verificationToken && header.token !== o.verificationToken)
    return { kind: "refused", reason: "wrong verification token in the envelope" };
  if (header.app_id && header.app_id !== o.appId)
    return { kind: "refused", reason: `event for another app ${header.app_id}` };
  return { kind: "envelope", envelope: parsed.data };
}
