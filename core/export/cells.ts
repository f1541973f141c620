import { scanPhones } from "../privacy/detect.ts";

/** A wall-clock reading in the export's time zone, as epoch ms of that reading written as if it were UTC. */
export interface LocalTime {
  readonly wall: number;
}

/** One spreadsheet cell: text, a number, a local time, or empty. */
export type Cell = string | number | LocalTime | undefined;

export const isLocalTime = (c: Cell): c is LocalTime => typeof c === "object" && c !== null;

// What a spreadsheet program may take for the start of a formula (OWASP's CSV injection list, plus the
// full-width forms some spreadsheet programs also accept).
const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;
// C0 controls other than tab and line breaks: not allowed in XML, so they would corrupt an XLSX file.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * Text as it may go into a cell: control characters dropped, any phone number masked (free text is masked
 * when stored; this holds whatever slipped past), and a leading formula character defused with a quote.
 */
export function spreadsheetText(text: string): string {
  const clean = scanPhones(text.replace(CONTROL, "")).text;
  return FORMULA_START.test(clean) ? `'${clean}` : clean;
}

/** "YYYY-MM-DD HH:mm" of a local time. */
export function formatLocalTime(t: LocalTime): string {
  return new Date(t.wall).toISOString().slice(0, 16).replace("T", " ");
}
