import { PassThrough, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import { type Cell, isLocalTime } from "../../core/export/cells.ts";
import type { Column } from "../../core/export/table.ts";
import { drained, once } from "./sink.ts";

/** An XLSX sheet holds 1,048,576 rows, the header included. */
export const XLSX_MAX_ROWS = 1_048_575;

export class TooManyRowsError extends Error {
  constructor() {
    super(`more than ${XLSX_MAX_ROWS} rows do not fit one XLSX sheet; narrow the date range or export CSV`);
    this.name = "TooManyRowsError";
  }
}

/** Uncompressed sheet XML allowed to wait for the zip before rows stop coming. */
const BACKLOG_BYTES = 1024 * 1024;

interface InnerPipe {
  readonly _writableState?: { readonly length: number };
  once(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
}

/**
 * exceljs hands a sheet's XML to the zip through a stream whose backpressure it ignores, and deflate only runs
 * when the event loop turns: without waiting on that stream, a fast source would pile the whole sheet up in
 * memory before a byte reached `out`. (An exceljs internal, so looked up defensively.)
 */
function sheetPipe(sheet: ExcelJS.Worksheet): InnerPipe | undefined {
  const pipe = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as
    | InnerPipe
    | undefined;
  return typeof pipe?._writableState?.length === "number" ? pipe : undefined;
}

function untilDrained(pipe: InnerPipe): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      pipe.removeListener("error", onError);
      resolve();
    };
    const onError = () => {
      pipe.removeListener("drain", onDrain);
      reject(new Error("the XLSX writer failed"));
    };
    pipe.once("drain", onDrain);
    pipe.once("error", onError);
  });
}

const NUM_FMT: Partial<Record<Column["kind"], string>> = { time: "yyyy-mm-dd hh:mm", number: "0" };

/**
 * XLSX through exceljs's streaming writer: each row is committed (serialised and handed to the zip) as it
 * comes, so memory stays flat however many rows there are. Times are real date cells in local time.
 */
export class XlsxTableWriter {
  readonly #pass = new PassThrough();
  readonly #book: ExcelJS.stream.xlsx.WorkbookWriter;
  readonly #sheet: ExcelJS.Worksheet;
  readonly #columns: readonly Column[];
  #rows = 0;
  #finished = false;
  /** Rejects when `out` fails or closes before the workbook is done: every wait races it, so none hangs. */
  readonly #gone: Promise<never>;

  constructor(out: Writable, sheetName: string, columns: readonly Column[]) {
    // exceljs waits for its stream to finish; a PassThrough finishes even when `out` is stdout (never ended).
    this.#pass.pipe(out, { end: false });
    // A failure reaches the caller through #gone; the stream's own error event needs a listener to be quiet.
    this.#pass.on("error", () => undefined);
    this.#gone = new Promise<never>((_, reject) => {
      const fail = (err?: Error) => {
        if (this.#finished) return;
        const error = err ?? new Error("the export's destination closed");
        this.#pass.destroy(error);
        reject(error);
      };
      out.once("close", () => fail());
      out.once("error", fail);
    });
    this.#gone.catch(() => undefined);
    this.#book = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: this.#pass,
      useStyles: true,
      useSharedStrings: false,
    });
    this.#book.creator = "closeloop";
    this.#columns = columns;
    this.#sheet = this.#book.addWorksheet(sheetName.slice(0, 31), {
      views: [{ state: "frozen", ySplit: 1 }],
    });
  }

  async start(header: readonly string[]): Promise<void> {
    this.#sheet.columns = this.#columns.map((c, i) => ({
      header: header[i] ?? c.key,
      key: c.key,
      width: c.width,
      ...(NUM_FMT[c.kind] ? { style: { numFmt: NUM_FMT[c.kind] } } : {}),
    }));
    this.#sheet.getRow(1).font = { bold: true };
    this.#sheet.getRow(1).commit();
  }

  async row(cells: readonly Cell[]): Promise<void> {
    if (this.#pass.destroyed) throw new Error("the export's destination closed");
    if (++this.#rows > XLSX_MAX_ROWS) throw new TooManyRowsError();
    this.#sheet.addRow(cells.map((c) => (isLocalTime(c) ? new Date(c.wall) : (c ?? null)))).commit();
    if (this.#rows % 50 !== 0) return;
    const pipe = sheetPipe(this.#sheet);
    if (!pipe) await new Promise((resolve) => setImmediate(resolve));
    else if (pipe._writableState!.length > BACKLOG_BYTES)
      await Promise.race([untilDrained(pipe), this.#gone]);
    if (this.#pass.writableNeedDrain) await Promise.race([drained(this.#pass), this.#gone]);
  }

  /** Writes the rest of the workbook and waits until all of it reached `out`; the caller ends the stream. */
  async finish(): Promise<void> {
    this.#sheet.commit();
    await Promise.race([this.#book.commit(), this.#gone]);
    if (!this.#pass.readableEnded) await Promise.race([once(this.#pass, "end"), this.#gone]);
    this.#finished = true;
  }
}
