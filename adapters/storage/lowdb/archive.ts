import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Low } from "lowdb";
import type { TicketRecord } from "../../../core/ports.ts";
import type { TicketEvent } from "../../../core/ticket/events.ts";
import { DurableJsonFile, fsyncDir } from "./durable-file.ts";
import { jsonChunks } from "./json-chunks.ts";
import { recordOf } from "./state.ts";

/**
 * The archive side, one file per month a ticket was resolved in: archive/YYYY-MM.json.
 *
 * Write order, so that a crash at any point is harmless: the month file is written (durably, by rename)
 * first, and only then does a journal entry move the tickets out of the hot set into the number -> month
 * index. The hot side is the source of truth: a file may hold copies the index does not point to (a crash
 * between the two steps, or a ticket reopened since), and those copies are simply never read.
 */
interface MonthFile {
  readonly format: 1;
  readonly tickets: Readonly<Record<string, readonly TicketEvent[]>>;
}

export type Month = ReadonlyMap<string, TicketRecord>;

/** The month a resolution instant files under, in UTC. */
export const monthOf = (iso: string): string => new Date(iso).toISOString().slice(0, 7);

export class ArchiveShelf {
  readonly #dir: string;
  readonly #cacheMonths: number;
  /** Parsed months, least recently used first. Always equal to the file on disk. */
  readonly #cache = new Map<string, Month>();
  /** One reader or writer per month file at a time, so the cache never goes back to older content. */
  readonly #locks = new Map<string, Promise<unknown>>();
  #dirReady = false;

  constructor(dir: string, cacheMonths: number) {
    this.#dir = dir;
    this.#cacheMonths = Math.max(1, cacheMonths);
  }

  /** A month already in memory, if it is. */
  peek(month: string): Month | undefined {
    const hit = this.#cache.get(month);
    if (hit) this.#remember(month, hit);
    return hit;
  }

  /** A month's records, read from its file when not in memory. */
  load(month: string): Promise<Month> {
    return this.peek(month) !== undefined
      ? Promise.resolve(this.#cache.get(month)!)
      : this.#locked(month, async () => this.peek(month) ?? this.#remember(month, await this.#read(month)));
  }

  /** Adds (or replaces) records in a month's file, durably. Copies already there stay. */
  put(month: string, records: readonly TicketRecord[]): Promise<void> {
    return this.#locked(month, async () => {
      const next = new Map(this.#cache.get(month) ?? (await this.#read(month)));
      for (const r of records) next.set(r.state.number, r);
      await this.#ensureDir();
      const tickets: Record<string, readonly TicketEvent[]> = {};
      for (const [number, r] of next) tickets[number] = r.events;
      await this.#file(month).write({ format: 1, tickets });
      this.#remember(month, next);
    });
  }

  #file(month: string): DurableJsonFile<MonthFile> {
    return new DurableJsonFile<MonthFile>(join(this.#dir, `${month}.json`), {
      serialize: (data) => jsonChunks(data, 2),
    });
  }

  async #read(month: string): Promise<Month> {
    const db = new Low<MonthFile>(this.#file(month), { format: 1, tickets: {} });
    await db.read();
    const records = new Map<string, TicketRecord>();
    for (const [number, events] of Object.entries(db.data.tickets)) records.set(number, recordOf(events));
    return records;
  }

  async #ensureDir(): Promise<void> {
    if (this.#dirReady) return;
    await mkdir(this.#dir, { recursive: true });
    await fsyncDir(dirname(this.#dir));
    this.#dirReady = true;
  }

  #remember(month: string, records: Month): Month {
    this.#cache.delete(month);
    this.#cache.set(month, records);
    while (this.#cache.size > this.#cacheMonths) this.#cache.delete(this.#cache.keys().next().value!);
    return records;
  }

  #locked<T>(month: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#locks.get(month) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#locks.set(month, tail);
    void tail.then(() => {
      if (this.#locks.get(month) === tail) this.#locks.delete(month);
    });
    return run;
  }
}
