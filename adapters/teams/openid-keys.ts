import { importJWK, type JWK } from "jose";
import type { Clock } from "../../core/ports.ts";

export interface SigningKey {
  readonly key: CryptoKey | Uint8Array;
  /** Channels this key may sign for (Bot Framework `endorsements`); empty: any. */
  readonly endorsements: readonly string[];
}

export interface OpenIdKeysOptions {
  readonly metadataUrl: string;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  /** How long keys are trusted before a refresh (24 h). */
  readonly refreshMs?: number;
  /** At most one refresh for an unknown kid this often (5 min), so a flood of bad kids cannot hammer the issuer. */
  readonly unknownKidCooldownMs?: number;
}

const DAY = 86_400_000;

interface KnownKey {
  readonly jwk: JWK;
  readonly endorsements: string[];
  /** The key imported for each algorithm a token named. */
  readonly imported: Map<string, Promise<CryptoKey | Uint8Array>>;
}

/**
 * An OpenID provider's signing keys by kid: read from the metadata's jwks_uri, cached, refreshed daily and
 * (rate-limited) when a token names a kid the cache does not have.
 */
export class OpenIdKeys {
  readonly #o: Required<OpenIdKeysOptions>;
  #keys = new Map<string, KnownKey>();
  #issuer: string | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #lastUnknownRefresh = Number.NEGATIVE_INFINITY;
  #loading: Promise<void> | undefined;

  constructor(o: OpenIdKeysOptions) {
    this.#o = {
      metadataUrl: o.metadataUrl,
      clock: o.clock,
      fetch: o.fetch ?? globalThis.fetch,
      refreshMs: o.refreshMs ?? DAY,
      unknownKidCooldownMs: o.unknownKidCooldownMs ?? 300_000,
    };
  }

  /** The issuer the metadata names (after the first load). */
  async issuer(): Promise<string | undefined> {
    await this.#fresh();
    return this.#issuer;
  }

  async key(kid: string, alg: string): Promise<SigningKey | undefined> {
    await this.#fresh();
    let found = this.#keys.get(kid);
    const now = this.#o.clock.now().getTime();
    if (!found && now - this.#lastUnknownRefresh >= this.#o.unknownKidCooldownMs) {
      this.#lastUnknownRefresh = now;
      await this.#load();
      found = this.#keys.get(kid);
    }
    if (!found) return undefined;
    // Importing a key costs about as much as checking a signature with it: once per kid and algorithm.
    let imported = found.imported.get(alg);
    if (!imported) {
      imported = importJWK(found.jwk, alg);
      imported.catch(() => found.imported.delete(alg));
      found.imported.set(alg, imported);
    }
    return { key: await imported, endorsements: found.endorsements };
  }

  async #fresh(): Promise<void> {
    if (this.#o.clock.now().getTime() - this.#loadedAt < this.#o.refreshMs) return;
    await this.#load().catch((e) => {
      // Keep serving the keys we have if a refresh fails; with none, the caller refuses the token.
      if (this.#keys.size === 0) throw e;
    });
  }

  #load(): Promise<void> {
    this.#loading ??= this.#doLoad().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #doLoad(): Promise<void> {
    const meta = (await this.#json(this.#o.metadataUrl)) as { issuer?: unknown; jwks_uri?: unknown };
    if (typeof meta.jwks_uri !== "string") throw new Error(`${this.#o.metadataUrl}: no jwks_uri`);
    const jwks = (await this.#json(meta.jwks_uri)) as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new Error(`${meta.jwks_uri}: no keys`);
    const keys = new Map<string, KnownKey>();
    for (const k of jwks.keys as (JWK & { endorsements?: unknown })[]) {
      if (typeof k.kid !== "string" || k.kty !== "RSA") continue;
      const endorsements = Array.isArray(k.endorsements)
        ? k.endorsements.filter((e): e is string => typeof e === "string")
        : [];
      const { endorsements: _drop, ...jwk } = k;
      keys.set(k.kid, { jwk, endorsements, imported: new Map() });
    }
    this.#keys = keys;
    this.#issuer = typeof meta.issuer === "string" ? meta.issuer : undefined;
    this.#loadedAt = this.#o.clock.now().getTime();
  }

  async #json(url: string): Promise<unknown> {
    const res = await this.#o.fetch(url, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return res.json();
  }
}
