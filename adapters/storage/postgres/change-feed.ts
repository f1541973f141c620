import type { Sql } from "postgres";

/** What one instance tells the others after commits: tickets that changed, or only that outbox rows came. */
export interface ChangeNote {
  readonly from: string;
  readonly numbers: readonly string[];
}

/** NOTIFY payloads stay under the server's 8000-byte limit. */
const MAX_PAYLOAD = 7000;

export const encodeNote = (from: string, numbers: readonly string[]): string =>
  `${from}\t${numbers.join(" ")}`;

export function decodeNote(payload: string): ChangeNote | undefined {
  const tab = payload.indexOf("\t");
  if (tab < 0) return undefined;
  const rest = payload.slice(tab + 1);
  return { from: payload.slice(0, tab), numbers: rest ? rest.split(" ") : [] };
}

/**
 * Tells the other instances what this one committed. Notes are sent after the commit, gathered per tick
 * into as few NOTIFYs as fit, on a connection of their own with synchronous_commit off: a notifying commit
 * holds a database-wide lock while it flushes, so notifying inside every command's transaction would
 * serialise all commands on that flush. A note lost to a crash costs a late live update, never data: the
 * scheduler and dispatcher also poll.
 */
export class Announcer {
  readonly #sql: Sql;
  readonly #channel: string;
  readonly #self: string;
  readonly #onError: (e: unknown) => void;
  #numbers = new Set<string>();
  #rows = false;
  #scheduled = false;
  #sending: Promise<void> = Promise.resolve();

  constructor(opts: { sql: Sql; channel: string; self: string; onError: (e: unknown) => void }) {
    this.#sql = opts.sql;
    this.#channel = opts.channel;
    this.#self = opts.self;
    this.#onError = opts.onError;
  }

  /** A ticket changed (or, without a number, outbox rows were added). */
  announce(number?: string): void {
    if (number === undefined) this.#rows = true;
    else this.#numbers.add(number);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  /** Sends what is pending and waits for every note sent so far. */
  async drain(): Promise<void> {
    if (this.#scheduled) this.#flush();
    await this.#sending;
  }

  #flush(): void {
    this.#scheduled = false;
    const numbers = [...this.#numbers];
    const rows = this.#rows;
    this.#numbers = new Set();
    this.#rows = false;
    const payloads: string[] = [];
    let chunk: string[] = [];
    let size = 0;
    for (const n of numbers) {
      if (size + n.length + 1 > MAX_PAYLOAD && chunk.length > 0) {
        payloads.push(encodeNote(this.#self, chunk));
        chunk = [];
        size = 0;
      }
      chunk.push(n);
      size += n.length + 1;
    }
    if (chunk.length > 0 || rows) payloads.push(encodeNote(this.#self, chunk));
    if (payloads.length === 0) return;
    this.#sending = this.#sending
      .then(async () => {
        for (const p of payloads) await this.#sql`SELECT pg_notify(${this.#channel}, ${p})`;
      })
      .catch((e: unknown) => this.#onError(e));
  }
}

/**
 * The other instances' notes, heard through LISTEN. Notes that arrive together are handed on as one batch,
 * and batches in order, one at a time.
 */
export class ChangeFeed {
  readonly #sql: Sql;
  readonly #channel: string;
  readonly #self: string;
  readonly #onBatch: (numbers: readonly string[], rowsOnly: boolean) => Promise<void>;
  readonly #onError: (e: unknown) => void;
  #pending = new Set<string>();
  #rows = false;
  #scheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #unlisten: (() => Promise<void>) | undefined;

  constructor(opts: {
    sql: Sql;
    channel: string;
    self: string;
    onBatch: (numbers: readonly string[], rowsOnly: boolean) => Promise<void>;
    onError: (e: unknown) => void;
  }) {
    this.#sql = opts.sql;
    this.#channel = opts.channel;
    this.#self = opts.self;
    this.#onBatch = opts.onBatch;
    this.#onError = opts.onError;
  }

  async start(): Promise<void> {
    const { unlisten } = await this.#sql.listen(this.#channel, (payload) => this.#hear(payload));
    this.#unlisten = unlisten;
  }

  async stop(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.().catch(() => undefined);
    await this.#chain;
  }

  #hear(payload: string): void {
    const note = decodeNote(payload);
    if (!note || note.from === this.#self) return;
    if (note.numbers.length === 0) this.#rows = true;
    for (const n of note.numbers) this.#pending.add(n);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const numbers = [...this.#pending];
      const rowsOnly = numbers.length === 0 && this.#rows;
      this.#pending = new Set();
      this.#rows = false;
      this.#chain = this.#chain
        .then(() => this.#onBatch(numbers, rowsOnly))
        .catch((e: unknown) => this.#onError(e));
    });
  }
}
