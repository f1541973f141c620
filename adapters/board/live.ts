import type { SSEStreamingApi } from "hono/streaming";
import type { Person } from "../../core/directory/schema.ts";
import type { Clock, TicketRecord, TicketStore } from "../../core/ports.ts";
import { type BoardFilters, textMatches, tileMatches } from "./query.ts";
import { type Tile, type TileContext, tileOf } from "./tiles.ts";

interface Watcher {
  readonly viewer: Person;
  readonly filters: BoardFilters;
  readonly stream: SSEStreamingApi;
  readonly end: () => void;
}

export interface LiveDeps {
  readonly store: TicketStore;
  readonly clock: Clock;
  readonly tileContext: (viewer: Person, now: Date) => TileContext;
  readonly onError?: (err: unknown) => void;
}

const HEARTBEAT_MS = 20_000;

/**
 * Server-sent events for open boards: every durable change in the store goes, as tiles drawn for each
 * watcher's own person and filters, to every open board at once.
 */
export class LiveBoard {
  readonly #deps: LiveDeps;
  readonly #watchers = new Set<Watcher>();
  readonly #unsubscribe: () => void;

  constructor(deps: LiveDeps) {
    this.#deps = deps;
    this.#unsubscribe = deps.store.onChange((changed) => this.#publish(changed));
  }

  get watching(): number {
    return this.#watchers.size;
  }

  #publish(changed: readonly TicketRecord[]): void {
    if (this.#watchers.size === 0) return;
    const now = this.#deps.clock.now();
    for (const w of this.#watchers) {
      const ctx = this.#deps.tileContext(w.viewer, now);
      const upsert: Tile[] = [];
      const remove: string[] = [];
      for (const record of changed) {
        const tile = textMatches(record, w.filters.q) ? this.#tile(record, ctx) : undefined;
        if (tile && tileMatches(tile, w.filters, now)) upsert.push(tile);
        else remove.push(record.state.number);
      }
      this.#send(w, "tiles", { upsert, remove, at: now.toISOString() });
    }
  }

  #tile(record: TicketRecord, ctx: TileContext): Tile | undefined {
    try {
      return tileOf(record, ctx);
    } catch (err) {
      this.#deps.onError?.(err);
      return undefined;
    }
  }

  #send(w: Watcher, event: string, data: unknown): void {
    w.stream.writeSSE({ event, data: JSON.stringify(data) }).catch(() => w.end());
  }

  /** Streams to one board until it goes away or the hub closes. */
  async watch(stream: SSEStreamingApi, viewer: Person, filters: BoardFilters): Promise<void> {
    let end = () => {};
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    const watcher: Watcher = { viewer, filters, stream, end };
    stream.onAbort(end);
    this.#watchers.add(watcher);
    const beat = setInterval(() => {
      stream.write(": ping\n\n").catch(end);
    }, HEARTBEAT_MS);
    try {
      await stream.writeSSE({
        event: "hello",
        data: JSON.stringify({ viewer: viewer.id, at: this.#deps.clock.now().toISOString() }),
        retry: 2000,
      });
      await ended;
    } finally {
      clearInterval(beat);
      this.#watchers.delete(watcher);
    }
  }

  /** Ends every stream (before the server closes: open streams would keep it waiting). */
  close(): void {
    this.#unsubscribe();
    for (const w of this.#watchers) w.end();
  }
}
