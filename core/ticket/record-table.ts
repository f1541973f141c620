import type { Directory } from "../directory/directory.ts";
import { type Cell, formatLocalTime, isLocalTime } from "../export/cells.ts";
import { RECORD_TABLE } from "../export/record-table.ts";
import { tableHeader, tableRow } from "../export/table.ts";
import type { Locale } from "../i18n/locale.ts";
import type { TicketState } from "./state.ts";

/**
 * The service record table (售后服务记录表) as plain text cells, one row per ticket, contacts masked. The
 * table itself (columns, CSV and XLSX exports, filters) lives in core/export.
 */
export function recordTableHeader(locale: Locale): string[] {
  return tableHeader(RECORD_TABLE, locale);
}

const text = (c: Cell): string => (c === undefined ? "" : isLocalTime(c) ? formatLocalTime(c) : String(c));

export function recordTableRow(t: TicketState, dir: Directory, locale: Locale, timeZone = "UTC"): string[] {
  return tableRow(RECORD_TABLE, { state: t, events: [] }, { directory: dir, locale, timeZone }).map(text);
}
