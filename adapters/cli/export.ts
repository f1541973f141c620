import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { LOCALES, type Locale } from "../../core/i18n/locale.ts";
import { recordTableHeader, recordTableRow } from "../../core/ticket/record-table.ts";
import { buildCloseloop } from "../../main.ts";
import { ConfigError } from "../config/load.ts";
import { csvLine } from "./csv.ts";
import { cliRuntime } from "./runtime.ts";

interface ExportOptions {
  config?: string;
  out?: string;
  locale?: string;
  archived?: boolean;
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())));
}

/** Writes the service record table as CSV (UTF-8 with a BOM so spreadsheet programs read the Chinese right). */
export async function exportCsv(opts: ExportOptions): Promise<number> {
  const locale = (opts.locale ?? "zh-CN") as Locale;
  if (!LOCALES.includes(locale)) throw new ConfigError(`--locale: expected one of ${LOCALES.join(", ")}`);
  const rt = cliRuntime(opts);
  const cl = await buildCloseloop(rt);
  const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
  try {
    await write(out, `\uFEFF${csvLine(recordTableHeader(locale))}`);
    let cursor: string | undefined;
    do {
      const page = await cl.store.list({ limit: 200, cursor, includeArchived: opts.archived ?? false });
      for (const r of page.items) await write(out, csvLine(recordTableRow(r.state, cl.directory, locale)));
      cursor = page.nextCursor;
    } while (cursor);
  } finally {
    if (opts.out) await new Promise<void>((resolve) => out.end(resolve));
    await cl.close();
  }
  return 0;
}
