import type { FileHandle } from "node:fs/promises";
import { open, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fsyncDir, writeAll } from "./durable-file.ts";
import { StoreCorruptError } from "./errors.ts";
import type { JournalEntry } from "./state.ts";

const FILE = /^journal-(\d+)\.jsonl$/;

/** Journal files are named by the sequence of their first entry, so sorting names orders the history. */
export const journalFileName = (firstSeq: number): string =>
  `journal-${String(firstSeq).padStart(12, "0")}.jsonl`;

export async function listJournalFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => FILE.test(n));
  names.sort((a, b) => Number(FILE.exec(a)![1]) - Number(FILE.exec(b)![1]));
  return names.map((n) => join(dir, n));
}

/** The complete entries of one journal file. Only the final line may be torn (a crash mid-append); it is ignored. */
export async function readJournalFile(path: string): Promise<{ entries: JournalEntry[]; bytes: number }> {
  const text = await readFile(path, "utf8");
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      throw new StoreCorruptError(
        `${path} line ${i + 1} is not a journal entry, and it is not the last line`,
      );
    }
  });
  if (tail !== "") {
    try {
      entries.push(JSON.parse(tail) as JournalEntry);
    } catch {
      // torn final line: the write never completed, so it was never acknowledged
    }
  }
  return { entries, bytes: Buffer.byteLength(text) };
}

interface Waiting {
  readonly seq: number;
  readonly line: string;
  resolve(): void;
  reject(error: unknown): void;
}

interface Rotation {
  readonly capture: () => unknown;
  resolve(result: { value: unknown; retired: string[] }): void;
  reject(error: unknown): void;
}

/**
 * The append-only journal, one JSON line per write transaction. Appends that arrive while a flush is running
 * wait and go out together in the next one: one write and one fdatasync for the whole group.
 */
export class Journal {
  readonly #dir: string;
  /** Files holding entries newer than the last snapshot, oldest first; the last one is being appended to. */
  #files: string[];
  #fh: FileHandle | undefined;
  #queue: Waiting[] = [];
  #draining: Promise<void> | undefined;
  #rotation: Rotation | undefined;
  readonly #closing = new Set<Promise<void>>();
  #failure: unknown;
  /** Bytes appended since the last rotation (or found at open). */
  bytes: number;
  fsyncs = 0;
  flushes = 0;

  constructor(dir: string, files: readonly string[], bytes: number) {
    this.#dir = dir;
    this.#files = [...files];
    this.bytes = bytes;
  }

  /** Set once a flush failed; every later append is refused. */
  get failure(): unknown {
    return this.#failure;
  }

  /** Resolves once the entry is on disk. Must be called in the same tick as the entry was applied in memory. */
  append(entry: JournalEntry): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const line = `${JSON.stringify(entry)}\n`;
    return new Promise((resolve, reject) => {
      this.#queue.push({ seq: entry.seq, line, resolve, reject });
      this.#kick();
    });
  }

  /**
   * Starts a fresh file. `capture` runs synchronously at a batch boundary, when memory holds exactly what is
   * on disk plus the batch being taken; that batch still goes to the old files, which are then handed back
   * as `retired` (safe to delete once a snapshot of `capture`'s result is durable).
   */
  rotate<T>(capture: () => T): Promise<{ value: T; retired: string[] }> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#rotation) return Promise.reject(new Error("a journal rotation is already pending"));
    return new Promise((resolve, reject) => {
      this.#rotation = { capture, resolve: resolve as Rotation["resolve"], reject };
      this.#kick();
    });
  }

  /** Waits for queued appends, then closes the file. */
  async close(): Promise<void> {
    while (this.#draining) await this.#draining;
    const fh = this.#fh;
    this.#fh = undefined;
    await Promise.all([...this.#closing, fh?.close()]);
  }

  #kick(): void {
    if (this.#draining) return;
    // a microtask later, so that writes issued in the same tick share the first flush
    this.#draining = Promise.resolve()
      .then(() => this.#drain())
      .finally(() => {
        this.#draining = undefined;
        if (this.#queue.length > 0 || this.#rotation) this.#kick();
      });
  }

  async #drain(): Promise<void> {
    for (;;) {
      let rotation = this.#rotation;
      this.#rotation = undefined;
      const batch = this.#queue;
      this.#queue = [];
      let value: unknown;
      try {
        value = rotation?.capture();
      } catch (e) {
        rotation?.reject(e);
        rotation = undefined;
      }
      if (batch.length > 0) {
        try {
          await this.#write(batch);
        } catch (e) {
          this.#fail(e, batch, rotation);
          return;
        }
        for (const w of batch) w.resolve();
      }
      if (rotation) rotation.resolve({ value, retired: this.#retire() });
      if (this.#queue.length === 0) return;
    }
  }

  async #write(batch: readonly Waiting[]): Promise<void> {
    if (!this.#fh) {
      const path = join(this.#dir, journalFileName(batch[0]!.seq));
      this.#fh = await open(path, "ax");
      this.#files.push(path);
      await fsyncDir(this.#dir);
      this.fsyncs += 1;
    }
    const buf = Buffer.from(batch.map((w) => w.line).join(""));
    await writeAll(this.#fh, buf);
    await this.#fh.datasync();
    this.fsyncs += 1;
    this.flushes += 1;
    this.bytes += buf.length;
  }

  #retire(): string[] {
    const retired = this.#files;
    this.#files = [];
    this.bytes = 0;
    const fh = this.#fh;
    this.#fh = undefined;
    if (fh) {
      const closed: Promise<void> = fh
        .close()
        .catch(() => undefined)
        .finally(() => this.#closing.delete(closed));
      this.#closing.add(closed);
    }
    return retired;
  }

  #fail(error: unknown, batch: readonly Waiting[], rotation: Rotation | undefined): void {
    this.#failure = error;
    for (const w of [...batch, ...this.#queue]) w.reject(error);
    this.#queue = [];
    rotation?.reject(error);
    this.#rotation?.reject(error);
    this.#rotation = undefined;
  }
}
