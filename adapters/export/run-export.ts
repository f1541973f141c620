import type { Writable } from "node:stream";
import type { Directory } from "../../core/directory/directory.ts";
import type { ExportFilter } from "../../core/export/select.ts";
import { exportTickets } from "../../core/export/select.ts";
import { type ExportTable, tableHeader, tableRow } from "../../core/export/table.ts";
import { type ExportFormat, type ExportTableName, exportTable } from "../../core/export/tables.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { TicketStore } from "../../core/ports.ts";
import { CsvTableWriter } from "./csv-writer.ts";

/** One export: which table, in which format and locale, over which tickets. */
export interface ExportRequest {
  readonly table: ExportTableName;
  readonly format: ExportFormat;
  readonly locale: Locale;
  readonly timeZone: string;
  readonly filter: ExportFilter;
}

export interface ExportSource {
  readonly store: Pick<TicketStore, "list">;
  readonly directory: Directory;
}

/** exceljs takes seconds to load on a busy machine: only an XLSX export loads it, not every start. */
async function writerFor(req: ExportRequest, table: ExportTable, out: Writable) {
  if (req.format !== "xlsx") return new CsvTableWriter(out);
  const { XlsxTableWriter } = await import("./xlsx-writer.ts");
  return new XlsxTableWriter(out, table.title[req.locale], table.columns);
}

/**
 * Streams the table into `out`, a page of tickets at a time, and returns how many rows it wrote. Does not end
 * `out` (it may be stdout); `onRow` hears of each row (the CLI's progress bar).
 */
export async function writeExport(
  src: ExportSource,
  req: ExportRequest,
  out: Writable,
  onRow?: (rows: number) => void,
): Promise<number> {
  const table = exportTable(req.table);
  const ctx = { directory: src.directory, locale: req.locale, timeZone: req.timeZone };
  const writer = await writerFor(req, table, out);
  await writer.start(tableHeader(table, req.locale));
  let rows = 0;
  for await (const record of exportTickets(src.store, table, req.filter)) {
    await writer.row(tableRow(table, record, ctx));
    rows += 1;
    onRow?.(rows);
  }
  await writer.finish();
  return rows;
}

/** How many rows an export will have (one pass over the same pages, nothing kept). */
export async function countExportRows(src: ExportSource, req: ExportRequest): Promise<number> {
  let n = 0;
  for await (const _ of exportTickets(src.store, exportTable(req.table), req.filter)) n++;
  return n;
}

/** `closeloop-records-2024-05-01_2024-05-31.xlsx`: ASCII, safe in any header or file system. */
export function exportFileName(req: ExportRequest): string {
  const { from, to } = req.filter.range.days;
  const span = from || to ? `-${from ?? "start"}_${to ?? "now"}` : "";
  const dept = req.filter.department ? `-${req.filter.department.replace(/[^A-Za-z0-9_-]/g, "")}` : "";
  return `closeloop-${req.table}${dept}${span}.${req.format}`;
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};
