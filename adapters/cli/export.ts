import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { isDomainError } from "../../core/errors.ts";
import { parseDayRange } from "../../core/export/range.ts";
import {
  EXPORT_FORMATS,
  EXPORT_TABLE_NAMES,
  type ExportFormat,
  type ExportTableName,
} from "../../core/export/tables.ts";
import { LOCALES, type Locale } from "../../core/i18n/locale.ts";
import { buildCloseloop } from "../../main.ts";
import { ConfigError } from "../config/load.ts";
import { countExportRows, type ExportRequest, writeExport } from "../export/run-export.ts";
import { cliRuntime } from "./runtime.ts";

interface ExportOptions {
  config?: string;
  out?: string;
  locale?: string;
  archived?: boolean;
  format?: string;
  table?: string;
  from?: string;
  to?: string;
  department?: string;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new ConfigError(`${flag}: expected one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

/** --format, else the --out file's extension, else CSV. */
function formatOf(opts: ExportOptions): ExportFormat {
  if (opts.format) return oneOf("--format", opts.format, EXPORT_FORMATS);
  return opts.out?.toLowerCase().endsWith(".xlsx") ? "xlsx" : "csv";
}

function rangeOf(opts: ExportOptions, timeZone: string) {
  try {
    return parseDayRange({ from: opts.from, to: opts.to }, timeZone);
  } catch (e) {
    if (isDomainError(e)) throw new ConfigError(`--from/--to: ${e.text.en} / ${e.text["zh-CN"]}`);
    throw e;
  }
}

/** A bar on stderr while rows are written; only when stderr is a terminal (never in logs or pipes). */
async function progressBar(total: number): Promise<{ update(n: number): void; stop(): void }> {
  const { default: cliProgress } = await import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "export |{bar}| {value}/{total} rows {percentage}% · {eta_formatted}",
      hideCursor: true,
      etaBuffer: 500,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (n) => bar.update(n), stop: () => bar.stop() };
}

/**
 * Writes the service record table or the follow-up table as CSV or XLSX, streamed a page of tickets at a
 * time, with filters by date range and department.
 */
export async function exportCsv(opts: ExportOptions): Promise<number> {
  const locale = oneOf("--locale", opts.locale ?? "zh-CN", LOCALES) as Locale;
  const table = oneOf("--table", opts.table ?? "records", EXPORT_TABLE_NAMES) as ExportTableName;
  const format = formatOf(opts);
  const rt = cliRuntime(opts);
  const range = rangeOf(opts, rt.config.timezone);
  const cl = await buildCloseloop(rt);
  try {
    const department = opts.department?.trim() || undefined;
    if (department && !cl.directory.department(department))
      throw new ConfigError(`--department: no department "${department}" in the directory`);
    const req: ExportRequest = {
      table,
      format,
      locale,
      timeZone: rt.config.timezone,
      // A period may reach back past the archive cut-off: its tickets are in the archive.
      filter: {
        range,
        department,
        includeArchived: (opts.archived ?? false) || range.from !== undefined || range.to !== undefined,
      },
    };
    const src = { store: cl.store, directory: cl.directory };
    const bar = process.stderr.isTTY ? await progressBar(await countExportRows(src, req)) : undefined;
    const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
    let rows: number;
    try {
      rows = await writeExport(src, req, out, bar?.update);
    } finally {
      bar?.stop();
      if (opts.out) {
        out.end();
        await finished(out);
      }
    }
    process.stderr.write(
      `closeloop export: ${rows} rows (${table}, ${format})${opts.out ? ` → ${opts.out}` : ""}\n`,
    );
  } finally {
    await cl.close();
  }
  return 0;
}
