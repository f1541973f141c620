import type { Text } from "../../core/i18n/locale.ts";

/** What a sign-in exchange is given: the code the page got from its host, and where it ran. */
export interface SignInAttempt {
  /** A one-time login code (Feishu, DingTalk), an SSO token (Teams), or a demo person's id (sandbox). */
  readonly code: string;
  /** The page ran inside the host's frame or web view. */
  readonly framed: boolean;
}

/**
 * One way to sign in to the board. A platform adapter registers one when its credentials are configured:
 * the page asks the host for a login code with `client` (public values only) and posts it to
 * POST /board/session; `exchange` trades it with the platform for a directory person id.
 */
export interface SignInProvider {
  /** "sandbox", "feishu", "dingtalk", "teams"... also the host the page detects. */
  readonly id: string;
  readonly label: Text;
  /** Public settings the page needs to ask its host for a code (e.g. { appId } or { corpId }). */
  readonly client?: Readonly<Record<string, string>>;
  /** The directory person the code belongs to; undefined when the platform refuses it. Never throws for a bad code. */
  exchange(attempt: SignInAttempt): Promise<string | undefined>;
}

/** The sign-in providers of this server, by id. */
export class SignInRegistry {
  readonly #providers = new Map<string, SignInProvider>();

  register(provider: SignInProvider): () => void {
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(provider.id)) throw new Error(`sign-in provider id "${provider.id}"`);
    if (this.#providers.has(provider.id))
      throw new Error(`sign-in provider "${provider.id}" is already registered`);
    this.#providers.set(provider.id, provider);
    return () => this.#providers.delete(provider.id);
  }

  get(id: string): SignInProvider | undefined {
    return this.#providers.get(id);
  }

  /** What the page may know about each provider. */
  list(): { id: string; label: Text; client: Readonly<Record<string, string>> }[] {
    return [...this.#providers.values()].map((p) => ({ id: p.id, label: p.label, client: p.client ?? {} }));
  }
}
