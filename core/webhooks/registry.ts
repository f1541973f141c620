import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { DomainError } from "../errors.ts";
import { type Clock, DocConflictError, type StoredDoc, type TicketStore } from "../ports.ts";
import type { FieldCipher } from "../privacy/cipher.ts";
import type { WebhookEventType } from "./event.ts";
import {
  type createSubscriptionSchema,
  MAX_SUBSCRIPTIONS,
  type patchSubscriptionSchema,
  type WebhookSubscription,
} from "./subscription.ts";

/** The keyed-doc collection of subscriptions registered through the admin API. */
export const WEBHOOK_COLLECTION = "webhooks";

type DocStore = Pick<TicketStore, "getDoc" | "putDoc" | "deleteDoc" | "listDocs">;

interface StoredSubscription {
  readonly url: string;
  readonly events: readonly ("*" | WebhookEventType)[];
  readonly active: boolean;
  readonly description?: string;
  /** Sealed with the field cipher: a copied data directory does not give the secrets away. */
  readonly secret: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

const notFound = (id: string) =>
  new DomainError(
    "not_found",
    { "zh-CN": `没有 Webhook 订阅「${id}」`, en: `No webhook subscription "${id}"` },
    { id },
  );

const readOnly = (id: string) =>
  new DomainError(
    "conflict",
    {
      "zh-CN": `订阅「${id}」写在配置文件里，请在配置文件中修改`,
      en: `Subscription "${id}" is defined in the config file; change it there`,
    },
    { id },
  );

const changed = (id: string) =>
  new DomainError(
    "conflict",
    {
      "zh-CN": `订阅「${id}」刚被别人修改过，请重试`,
      en: `Subscription "${id}" changed meanwhile; try again`,
    },
    { id },
  );

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString("base64url")}`;

/**
 * Subscriptions from the config file (fixed, secrets from the environment) and from the admin API (keyed docs
 * in the store, secrets sealed). Read fresh each time: every instance sees a change at once.
 */
export class WebhookRegistry {
  readonly #store: DocStore;
  readonly #cipher: FieldCipher;
  readonly #clock: Clock;
  readonly #fromConfig: ReadonlyMap<string, WebhookSubscription>;

  constructor(deps: {
    readonly store: DocStore;
    readonly cipher: FieldCipher;
    readonly clock: Clock;
    readonly fromConfig: readonly WebhookSubscription[];
  }) {
    this.#store = deps.store;
    this.#cipher = deps.cipher;
    this.#clock = deps.clock;
    this.#fromConfig = new Map(deps.fromConfig.map((s) => [s.id, s]));
  }

  #fromDoc(doc: StoredDoc): WebhookSubscription {
    const d = doc.data as unknown as StoredSubscription;
    return {
      id: doc.id,
      url: d.url,
      events: d.events,
      active: d.active,
      ...(d.description ? { description: d.description } : {}),
      secret: this.#cipher.decrypt(d.secret),
      source: "api",
      createdAt: d.createdAt,
      createdBy: d.createdBy,
    };
  }

  async list(): Promise<WebhookSubscription[]> {
    const out = [...this.#fromConfig.values()];
    let cursor: string | undefined;
    do {
      const page = await this.#store.listDocs(WEBHOOK_COLLECTION, { limit: 100, cursor });
      out.push(...page.items.map((d) => this.#fromDoc(d)));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async get(id: string): Promise<WebhookSubscription | undefined> {
    const fixed = this.#fromConfig.get(id);
    if (fixed) return fixed;
    if (!/^wh_[A-Za-z0-9]{1,40}$/.test(id)) return undefined;
    const doc = await this.#store.getDoc(WEBHOOK_COLLECTION, id);
    return doc ? this.#fromDoc(doc) : undefined;
  }

  async create(
    input: z.infer<typeof createSubscriptionSchema>,
    by: string,
  ): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const count = (await this.list()).length;
    if (count >= MAX_SUBSCRIPTIONS) {
      throw new DomainError(
        "conflict",
        {
          "zh-CN": `最多 ${MAX_SUBSCRIPTIONS} 个 Webhook 订阅`,
          en: `At most ${MAX_SUBSCRIPTIONS} webhook subscriptions`,
        },
        { limit: MAX_SUBSCRIPTIONS },
      );
    }
    const id = `wh_${randomBytes(9).toString("hex")}`;
    const secret = newWebhookSecret();
    const data: StoredSubscription = {
      url: input.url,
      events: input.events,
      active: input.active,
      ...(input.description ? { description: input.description } : {}),
      secret: this.#cipher.encrypt(secret),
      createdAt: this.#clock.now().toISOString(),
      createdBy: by,
    };
    const doc = await this.#store.putDoc(WEBHOOK_COLLECTION, id, 0, { ...data });
    return { subscription: this.#fromDoc(doc), secret };
  }

  async #current(id: string): Promise<StoredDoc> {
    if (this.#fromConfig.has(id)) throw readOnly(id);
    const doc = /^wh_[A-Za-z0-9]{1,40}$/.test(id)
      ? await this.#store.getDoc(WEBHOOK_COLLECTION, id)
      : undefined;
    if (!doc) throw notFound(id);
    return doc;
  }

  async #write(doc: StoredDoc, data: StoredSubscription): Promise<WebhookSubscription> {
    try {
      return this.#fromDoc(await this.#store.putDoc(WEBHOOK_COLLECTION, doc.id, doc.rev, { ...data }));
    } catch (e) {
      if (e instanceof DocConflictError) throw changed(doc.id);
      throw e;
    }
  }

  async update(id: string, patch: z.infer<typeof patchSubscriptionSchema>): Promise<WebhookSubscription> {
    const doc = await this.#current(id);
    const d = doc.data as unknown as StoredSubscription;
    return this.#write(doc, {
      ...d,
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: patch.events } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
    });
  }

  async rotateSecret(id: string): Promise<{ subscription: WebhookSubscription; secret: string }> {
    const doc = await this.#current(id);
    const secret = newWebhookSecret();
    const subscription = await this.#write(doc, {
      ...(doc.data as unknown as StoredSubscription),
      secret: this.#cipher.encrypt(secret),
    });
    return { subscription, secret };
  }

  async remove(id: string): Promise<void> {
    const doc = await this.#current(id);
    try {
      await this.#store.deleteDoc(WEBHOOK_COLLECTION, id, doc.rev);
    } catch (e) {
      if (e instanceof DocConflictError) throw changed(id);
      throw e;
    }
  }
}
