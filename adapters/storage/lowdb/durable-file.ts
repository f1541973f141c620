import type { FileHandle } from "node:fs/promises";
import { open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import type { Adapter } from "lowdb";

/** Makes a directory's entries (a created, renamed or deleted file) survive a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes the whole buffer: a single write call may write less than asked. */
export async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await fh.write(buf, offset, buf.length - offset);
    offset += bytesWritten;
  }
}

const CHUNK = 1 << 20;

/**
 * Replaces `path` so that a crash leaves either the old or the new content, never a mix:
 * temp file, fsync it, rename over, fsync the directory. Returns the bytes written.
 * Chunks are written as they come, so a large file does not hold the event loop for its whole serialisation.
 */
export async function replaceFileDurably(path: string, chunks: Iterable<string>): Promise<number> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, "w");
  let bytes = 0;
  try {
    let pending: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= CHUNK) {
        const buf = Buffer.from(pending.join(""));
        await writeAll(fh, buf);
        bytes += buf.length;
        pending = [];
        size = 0;
      }
    }
    const buf = Buffer.from(pending.join(""));
    await writeAll(fh, buf);
    bytes += buf.length;
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await fsyncDir(dirname(path));
  return bytes;
}

export interface DurableJsonFileOptions<T> {
  /** Serialises in pieces; defaults to one JSON.stringify. */
  readonly serialize?: (data: T) => Iterable<string>;
}

/** A lowdb adapter whose write is durable and atomic (lowdb's own JSONFile neither fsyncs the file nor the directory). */
export class DurableJsonFile<T> implements Adapter<T> {
  readonly path: string;
  readonly #serialize: (data: T) => Iterable<string>;
  /** Size of the file as last written or read. */
  bytes = 0;

  constructor(path: string, options: DurableJsonFileOptions<T> = {}) {
    this.path = path;
    this.#serialize = options.serialize ?? ((data) => [JSON.stringify(data)]);
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    this.bytes = Buffer.byteLength(text);
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new Error(`${this.path} is not valid JSON (${(e as Error).message})`, { cause: e });
    }
  }

  async write(data: T): Promise<void> {
    this.bytes = await replaceFileDurably(this.path, this.#serialize(data));
  }
}
