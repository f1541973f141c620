import { type Cell, formatLocalTime, isLocalTime, spreadsheetText } from "../../core/export/cells.ts";

/** One CSV field: quoted when needed, and defused when a spreadsheet would take it for a formula. */
export function csvField(value: string): string {
  const safe = spreadsheetText(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(",")}\r\n`;

/** A cell as CSV text: local times as "YYYY-MM-DD HH:mm", numbers as digits. */
export function csvCell(c: Cell): string {
  if (c === undefined) return "";
  if (isLocalTime(c)) return formatLocalTime(c);
  return typeof c === "number" ? String(c) : csvField(c);
}

export const csvRow = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(",")}\r\n`;
