import type { Directory } from "../directory/directory.ts";
import type { Locale, Text } from "../i18n/locale.ts";
import type { TicketRecord } from "../ports.ts";
import type { Status } from "../ticket/schema.ts";
import type { TicketState } from "../ticket/state.ts";
import { type Cell, isLocalTime, spreadsheetText } from "./cells.ts";

/** What a row needs besides the ticket: names from the directory, the reader's locale and time zone. */
export interface RowContext {
  readonly directory: Directory;
  readonly locale: Locale;
  readonly timeZone: string;
}

export interface Column {
  readonly key: string;
  readonly title: Text;
  readonly kind: "text" | "number" | "time";
  /** Column width in characters, for XLSX. */
  readonly width: number;
  readonly value: (r: TicketRecord, ctx: RowContext) => Cell;
}

/** One of the record tables an export produces: its columns, which tickets have a row, and the row's time. */
export interface ExportTable {
  readonly name: string;
  readonly title: Text;
  readonly columns: readonly Column[];
  /** Statuses worth asking the store for (undefined: all). */
  readonly statuses?: readonly Status[];
  /** Whether the ticket has a row in this table. */
  readonly includes: (t: TicketState) => boolean;
  /** The instant a date range is applied to. */
  readonly timeOf: (t: TicketState) => string | undefined;
  /** timeOf is never before createdAt, so a newest-first walk may stop at the range's start. */
  readonly stopsAtRangeStart: boolean;
}

export function tableHeader(table: ExportTable, locale: Locale): string[] {
  return table.columns.map((c) => c.title[locale]);
}

/** A row's cells, every text made safe for a spreadsheet (see cells.ts). */
export function tableRow(table: ExportTable, r: TicketRecord, ctx: RowContext): Cell[] {
  return table.columns.map((c) => {
    const v = c.value(r, ctx);
    return typeof v === "string"
      ? spreadsheetText(v)
      : isLocalTime(v) || typeof v === "number"
        ? v
        : undefined;
  });
}

export const personName = (ctx: RowContext, id: string | undefined): string =>
  id ? (ctx.directory.person(id)?.name ?? id) : "";
