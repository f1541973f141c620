import type { OutboxIntent, TicketStore } from "../../../core/ports.ts";

/** One durable write the store made, as the spy saw it. */
export interface SeenWrite {
  readonly op: "create" | "append" | "enqueue" | "putDoc" | "deleteDoc";
  /** The ticket (or doc) it touched; "" for inbox rows. */
  readonly target: string;
  /** Event types written (create/append), or the kinds of the new outbox rows (enqueue). */
  readonly what: readonly string[];
  /** Outbox rows written with it, by kind and recipient. */
  readonly outbox: readonly string[];
}

const INBOUND = /^inbound:/;

/**
 * Counts every write a store makes by wrapping its writing methods on the instance (the service holds the
 * same object, so nothing escapes). Delivery bookkeeping (settleOutbox) is counted apart: it is the
 * dispatcher's, never a request's.
 */
export class WriteSpy {
  readonly writes: SeenWrite[] = [];
  settled = 0;

  constructor(store: TicketStore) {
    const s = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const wrap = (
      name: keyof TicketStore,
      seen: (args: unknown[], result: unknown) => SeenWrite | undefined,
    ) => {
      const original = s[name]!.bind(store);
      s[name] = async (...args: unknown[]) => {
        const result = await original(...args);
        const w = seen(args, result);
        if (w) this.writes.push(w);
        return result;
      };
    };
    const rows = (intents: unknown) =>
      ((intents as readonly OutboxIntent[] | undefined) ?? []).map((i) => `${i.kind}->${i.recipient}`);
    wrap("create", (_args, result) => {
      const r = result as { state: { number: string }; events: { type: string }[] };
      return { op: "create", target: r.state.number, what: r.events.map((e) => e.type), outbox: [] };
    });
    wrap("append", (args) => ({
      op: "append",
      target: String(args[0]),
      what: (args[2] as { type: string }[]).map((e) => e.type),
      outbox: rows(args[3]),
    }));
    wrap("enqueue", (args, result) =>
      (result as number) > 0
        ? {
            op: "enqueue",
            target: "",
            what: (args[0] as OutboxIntent[]).map((i) => i.kind),
            outbox: rows(args[0]),
          }
        : undefined,
    );
    wrap("putDoc", (args) => ({
      op: "putDoc",
      target: `${args[0]}/${args[1]}`,
      what: [],
      outbox: rows(args[4]),
    }));
    wrap("deleteDoc", (args) => ({ op: "deleteDoc", target: `${args[0]}/${args[1]}`, what: [], outbox: [] }));
    const settle = s.settleOutbox!.bind(store);
    s.settleOutbox = async (...args: unknown[]) => {
      const r = await settle(...args);
      this.settled++;
      return r;
    };
  }

  mark(): number {
    return this.writes.length;
  }

  since(mark: number): SeenWrite[] {
    return this.writes.slice(mark);
  }

  /** Writes since `mark` that change a ticket or queue a notification (inbox rows of inbound events left out). */
  ticketWritesSince(mark: number): SeenWrite[] {
    return this.since(mark).filter(
      (w) => w.op !== "enqueue" || w.outbox.some((r) => !INBOUND.test(r.split("->")[1]!)),
    );
  }
}
