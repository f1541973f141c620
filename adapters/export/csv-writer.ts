import type { Writable } from "node:stream";
import type { Cell } from "../../core/export/cells.ts";
import { csvLine, csvRow } from "./csv.ts";
import { writeChunk } from "./sink.ts";

const CHUNK = 64 * 1024;

/** CSV, UTF-8 with a BOM (so spreadsheet programs read the Chinese right), CRLF lines, written in chunks. */
export class CsvTableWriter {
  readonly #out: Writable;
  #buffer = "";

  constructor(out: Writable) {
    this.#out = out;
  }

  async start(header: readonly string[]): Promise<void> {
    this.#buffer = `\uFEFF${csvLine(header)}`;
  }

  async row(cells: readonly Cell[]): Promise<void> {
    this.#buffer += csvRow(cells);
    if (this.#buffer.length >= CHUNK) await this.#flush();
  }

  /** Writes what is left; the caller ends the stream. */
  async finish(): Promise<void> {
    await this.#flush();
  }

  async #flush(): Promise<void> {
    const chunk = this.#buffer;
    this.#buffer = "";
    if (chunk) await writeChunk(this.#out, chunk);
  }
}
