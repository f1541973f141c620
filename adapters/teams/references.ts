import type { Activity } from "./activity.ts";
import { tenantOf } from "./activity.ts";

/**
 * What inbound activities taught us about where to reach people, in memory. Durable references live in the
 * store: each posted card's placement carries its conversation and serviceUrl, and a 1:1 chat is re-created
 * on demand (Teams answers createConversation with the same chat every time), so nothing here is needed
 * across a restart; it only spares calls and picks the regional serviceUrl sooner.
 */
export class ConversationReferences {
  readonly #serviceUrls = new Map<string, string>();
  /** aadObjectId -> the bot-specific "29:" id. */
  readonly #userIds = new Map<string, string>();
  /** person id -> their 1:1 conversation with the bot. */
  readonly #personal = new Map<string, string>();
  /** People whose 1:1 writes were refused (blocked or removed the app) until they talk to the bot again. */
  readonly #blocked = new Set<string>();
  #lastServiceUrl: string | undefined;
  #lastTenant: string | undefined;

  remember(a: Activity): void {
    this.#serviceUrls.set(a.conversation.id, a.serviceUrl);
    this.#lastServiceUrl = a.serviceUrl;
    this.#lastTenant = tenantOf(a) ?? this.#lastTenant;
    if (a.from.aadObjectId) {
      this.#userIds.set(a.from.aadObjectId, a.from.id);
      this.#blocked.delete(a.from.aadObjectId);
    }
    for (const m of a.membersAdded ?? []) if (m.aadObjectId) this.#userIds.set(m.aadObjectId, m.id);
  }

  serviceUrl(conversationId: string): string | undefined {
    return this.#serviceUrls.get(conversationId);
  }

  get lastServiceUrl(): string | undefined {
    return this.#lastServiceUrl;
  }

  get lastTenant(): string | undefined {
    return this.#lastTenant;
  }

  userId(aadObjectId: string): string | undefined {
    return this.#userIds.get(aadObjectId);
  }

  personal(personId: string): string | undefined {
    return this.#personal.get(personId);
  }

  setPersonal(personId: string, conversationId: string, serviceUrl: string): void {
    this.#personal.set(personId, conversationId);
    this.#serviceUrls.set(conversationId, serviceUrl);
  }

  forgetPersonal(personId: string): void {
    this.#personal.delete(personId);
  }

  block(aadObjectId: string): void {
    this.#blocked.add(aadObjectId);
  }

  isBlocked(aadObjectId: string): boolean {
    return this.#blocked.has(aadObjectId);
  }
}
