import { once } from "node:events";
import type { Writable } from "node:stream";

/** Writes a chunk and waits while the stream asks the writer to slow down; fails once the stream is gone. */
export async function writeChunk(out: Writable, chunk: string | Uint8Array): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new Error("the export's destination closed");
  if (!out.write(chunk)) await drained(out);
}

/** Resolves when the stream has room again; rejects if it fails or closes first (or already has). */
export function drained(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.reject(new Error("the export's destination closed"));
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off("drain", onDrain);
      out.off("error", onError);
      out.off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error("the export's destination closed"));
    out.on("drain", onDrain);
    out.on("error", onError);
    out.on("close", onClose);
  });
}

export { once };
