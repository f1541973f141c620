import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** An RSA signing key the local Teams publishes (or, for negative tests, deliberately does not). */
export interface EmulatorKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
  readonly endorsements: readonly string[];
}

export async function makeKey(
  endorsements: readonly string[] = ["msteams"],
  kid = randomUUID(),
): Promise<EmulatorKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" };
  return { kid, privateKey, jwk, endorsements };
}

/** The key as a JWKS entry, Bot Framework style (with endorsements when it has any). */
export const publishedJwk = (k: EmulatorKey) =>
  k.endorsements.length ? { ...k.jwk, endorsements: [...k.endorsements] } : { ...k.jwk };

export interface SignOptions {
  readonly key: EmulatorKey;
  readonly claims: Record<string, unknown>;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly nbf?: number;
  readonly exp?: number;
  /** Header kid override (an unknown kid). */
  readonly kid?: string;
}

export async function sign(o: SignOptions): Promise<string> {
  let jwt = new SignJWT(o.claims)
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: o.kid ?? o.key.kid })
    .setIssuedAt(o.iat);
  if (o.nbf !== undefined) jwt = jwt.setNotBefore(o.nbf);
  if (o.exp !== undefined) jwt = jwt.setExpirationTime(o.exp);
  return jwt.sign(o.key.privateKey);
}
