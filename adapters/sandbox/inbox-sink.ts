import type { Logger } from "pino";
import type { DeliveryOutcome, NotificationSink, OutboxItem } from "../../core/ports.ts";

export interface DeliveredNotification {
  readonly recipient: string;
  readonly at: string;
  readonly keys: readonly string[];
  readonly kinds: readonly string[];
  readonly tickets: readonly string[];
  /** More than one item: a digest. */
  readonly digest: boolean;
}

/**
 * Where notifications go when no chat platform is configured: kept in memory (the newest few hundred)
 * for the sandbox API and logged, so the whole loop can be watched without Feishu, DingTalk or Teams.
 */
export class SandboxInbox implements NotificationSink {
  readonly #items: DeliveredNotification[] = [];
  readonly #seen = new Set<string>();
  readonly #limit: number;
  readonly #logger: Logger;
  readonly #now: () => Date;

  constructor(logger: Logger, now: () => Date, limit = 500) {
    this.#logger = logger;
    this.#now = now;
    this.#limit = limit;
  }

  async deliver(recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    // The outbox key is the idempotency key: a redelivery after a crash shows nothing new.
    const fresh = items.filter((i) => !this.#seen.has(i.key));
    if (fresh.length === 0) return { ok: true };
    for (const i of fresh) this.#seen.add(i.key);
    const entry: DeliveredNotification = {
      recipient,
      at: this.#now().toISOString(),
      keys: fresh.map((i) => i.key),
      kinds: fresh.map((i) => i.kind),
      tickets: [...new Set(fresh.map((i) => i.ticket))],
      digest: fresh.length > 1,
    };
    this.#items.push(entry);
    if (this.#items.length > this.#limit) this.#items.splice(0, this.#items.length - this.#limit);
    this.#logger.info({ recipient, kinds: entry.kinds, tickets: entry.tickets }, "sandbox notification");
    return { ok: true };
  }

  list(recipient?: string): DeliveredNotification[] {
    return this.#items.filter((n) => recipient === undefined || n.recipient === recipient);
  }
}
