import { type ChatPlatform, inboundPlatform } from "../chat/platform.ts";
import type { Directory } from "../directory/directory.ts";
import type { Person } from "../directory/schema.ts";
import type { DeliveryOutcome, NotificationSink, OutboxItem } from "../ports.ts";
import type { Placement } from "../ticket/events.ts";

/**
 * The one sink the outbox dispatcher talks to: it picks the platform for each recipient (the ticket's own
 * platform when the person is reachable there, else the first that reaches them, else the fallback) and
 * hands inbound events and card refreshes to the platform they belong to.
 */
export class NotificationRouter implements NotificationSink {
  readonly #directory: Directory;
  readonly #platforms: ReadonlyMap<string, ChatPlatform>;
  readonly #fallback?: NotificationSink;

  constructor(directory: Directory, platforms: readonly ChatPlatform[], fallback?: NotificationSink) {
    this.#directory = directory;
    this.#platforms = new Map(platforms.map((p) => [p.id, p]));
    this.#fallback = fallback;
  }

  async deliver(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    if (recipient.startsWith("inbound:")) return this.#inbound(inboundPlatform(recipient), items);
    if (recipient.startsWith("place:")) return this.#place(items);
    if (recipient.startsWith("chat:")) return this.#chat(recipient, items);
    const person = this.#directory.person(recipient);
    if (!person) return { ok: false, permanent: true, error: `no person "${recipient}" in the directory` };
    const platform = this.#platformFor(person, items);
    if (platform) return platform.deliver(person, items);
    if (this.#fallback) return this.#fallback.deliver(recipient, items);
    return { ok: false, permanent: true, error: `no configured platform reaches "${recipient}"` };
  }

  /** The platform the rows go out on: `inbound:`, `place:` and `chat:` name it; a person's is chosen. */
  groupOf(recipient: string, items: readonly OutboxItem[]): string {
    if (recipient.startsWith("inbound:")) return inboundPlatform(recipient);
    if (/^(place|chat):/.test(recipient)) return recipient.split(":")[1] ?? "";
    const person = this.#directory.person(recipient);
    return (person && this.#platformFor(person, items)?.id) ?? "";
  }

  /** The ticket's own platform when it reaches the person, else the first that does. */
  #platformFor(person: Person, items: readonly OutboxItem[]): ChatPlatform | undefined {
    const preferred = items.map((i) => i.payload.platform).find((p): p is string => typeof p === "string");
    const ordered = [
      ...(preferred && this.#platforms.has(preferred) ? [this.#platforms.get(preferred)!] : []),
      ...[...this.#platforms.values()].filter((p) => p.id !== preferred),
    ];
    return ordered.find((p) => p.reaches(person));
  }

  async #inbound(platformId: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const platform = this.#platforms.get(platformId);
    if (!platform?.handleInbound) return { ok: false, error: `platform "${platformId}" is not running` };
    for (const item of items) {
      const outcome = await platform.handleInbound(item);
      if (!outcome.ok) return outcome;
    }
    return { ok: true };
  }

  async #chat(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const platform = this.#platforms.get(recipient.split(":")[1] ?? "");
    if (platform?.postToChat) return platform.postToChat(items);
    if (this.#fallback) return this.#fallback.deliver(recipient, items);
    return { ok: false, permanent: true, error: `no configured platform posts into ${recipient}` };
  }

  async #place(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const placement = items[0]?.payload.placement as Placement | undefined;
    if (!placement) return { ok: false, permanent: true, error: "card refresh without a placement" };
    const platform = this.#platforms.get(placement.platform);
    if (!platform) {
      // A card posted on a platform no longer configured cannot be refreshed; nothing to retry.
      return this.#fallback
        ? { ok: true }
        : { ok: false, permanent: true, error: `platform ${placement.platform} off` };
    }
    return platform.updatePlacement(placement, items);
  }
}
