import type {
  Clock,
  OutboxIntent,
  OutboxItem,
  OutboxOutcome,
  TicketRecord,
  TicketStore,
} from "../../core/ports.ts";

export type OutboxPort = Pick<TicketStore, "dueOutbox" | "settleOutbox" | "onChange">;

/** A process's view of the outbox that can die: after kill() its calls never answer and change nothing. */
export interface OutboxConnection extends OutboxPort {
  kill(): void;
  readonly dead: boolean;
  /** Resolves when the connection dies. */
  readonly died: Promise<void>;
  /** Dies at the first settle matching `when`, before that settle is applied (the sink already answered). */
  killAtSettle(when: (key: string, outcome: OutboxOutcome) => boolean): void;
}

const never = <T>() => new Promise<T>(() => {});

/** An intent for tests: ticket T-1, an empty payload unless given. */
export function outboxIntent(
  key: string,
  recipient: string,
  kind = "nudge",
  extra: Partial<Omit<OutboxIntent, "key" | "recipient" | "kind">> = {},
): OutboxIntent {
  return { key, kind, recipient, ticket: "T-1", payload: {}, ...extra };
}

/**
 * The outbox half of the store port, in memory, with the semantics of ports.ts: rows idempotent by key,
 * first due at notBefore or at creation, settles count attempts and keep the last error, delivered rows
 * are never due again nor changed by a later settle. add() stands for the store write that carries intents.
 */
export class MemoryOutbox implements OutboxPort {
  readonly #rows = new Map<string, { row: OutboxItem; seq: number }>();
  readonly #listeners = new Set<(changed: readonly TicketRecord[]) => void>();
  readonly #clock: Clock;
  #seq = 0;
  /** Settle calls applied, in order. */
  readonly settles: { key: string; outcome: OutboxOutcome }[] = [];

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(...intents: readonly OutboxIntent[]): void {
    const createdAt = this.#clock.now().toISOString();
    for (const intent of intents) {
      if (this.#rows.has(intent.key)) continue;
      const row: OutboxItem = {
        ...intent,
        createdAt,
        attempts: 0,
        nextAttemptAt: intent.notBefore ?? createdAt,
      };
      this.#rows.set(intent.key, { row, seq: this.#seq++ });
    }
    for (const listener of this.#listeners) listener([]);
  }

  async dueOutbox(now: string, limit: number): Promise<readonly OutboxItem[]> {
    const at = Date.parse(now);
    if (Number.isNaN(at)) throw new Error(`dueOutbox: not an instant: ${now}`);
    return [...this.#rows.values()]
      .filter(({ row }) => row.deliveredAt === undefined && Date.parse(row.nextAttemptAt) <= at)
      .sort((a, b) => Date.parse(a.row.nextAttemptAt) - Date.parse(b.row.nextAttemptAt) || a.seq - b.seq)
      .slice(0, Math.max(0, limit))
      .map(({ row }) => row);
  }

  async settleOutbox(key: string, outcome: OutboxOutcome): Promise<void> {
    const entry = this.#rows.get(key);
    if (!entry) throw new Error(`no outbox row with key ${key}`);
    if (entry.row.deliveredAt !== undefined) return;
    const row = entry.row;
    entry.row =
      "deliveredAt" in outcome
        ? { ...row, attempts: row.attempts + 1, deliveredAt: outcome.deliveredAt }
        : { ...row, attempts: row.attempts + 1, nextAttemptAt: outcome.retryAt, lastError: outcome.error };
    this.settles.push({ key, outcome });
  }

  onChange(listener: (changed: readonly TicketRecord[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get(key: string): OutboxItem | undefined {
    return this.#rows.get(key)?.row;
  }

  /** Every row, in the order added. */
  rows(): OutboxItem[] {
    return [...this.#rows.values()].sort((a, b) => a.seq - b.seq).map(({ row }) => row);
  }

  undelivered(): OutboxItem[] {
    return this.rows().filter((r) => r.deliveredAt === undefined);
  }

  connect(): OutboxConnection {
    let dead = false;
    let markDied!: () => void;
    const died = new Promise<void>((resolve) => {
      markDied = resolve;
    });
    let trap: ((key: string, outcome: OutboxOutcome) => boolean) | undefined;
    const unsubscribers: (() => void)[] = [];
    const kill = () => {
      if (dead) return;
      dead = true;
      for (const off of unsubscribers) off();
      markDied();
    };
    return {
      get dead() {
        return dead;
      },
      died,
      kill,
      killAtSettle: (when) => {
        trap = when;
      },
      // An answer that arrives after death is never seen: the process is gone.
      dueOutbox: async (now, limit) => {
        if (dead) return never();
        const rows = await this.dueOutbox(now, limit);
        return dead ? never() : rows;
      },
      settleOutbox: async (key, outcome) => {
        if (!dead && trap?.(key, outcome)) kill();
        if (dead) return never();
        await this.settleOutbox(key, outcome);
        if (dead) return never();
      },
      onChange: (listener) => {
        const off = this.onChange((changed) => {
          if (!dead) listener(changed);
        });
        unsubscribers.push(off);
        return off;
      },
    };
  }
}
