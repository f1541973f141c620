import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";

/** Every cell of the first sheet as read back by exceljs, header row first. */
export async function readXlsx(
  file: string,
): Promise<{ rows: ExcelJS.CellValue[][]; workbook: ExcelJS.Workbook }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0]!;
  const rows: ExcelJS.CellValue[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push((row.values as ExcelJS.CellValue[]).slice(1));
  });
  return { rows, workbook };
}

/** Every cell of a CSV as read back by exceljs's CSV reader (values kept as text). */
export async function readCsv(file: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  const sheet = await workbook.csv.readFile(file, {
    map: (v: unknown) => v,
    parserOptions: { delimiter: "," },
  });
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push(
      (row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? "" : String(v))),
    );
  });
  if (rows[0]?.[0]) rows[0][0] = rows[0][0].replace(/^\uFEFF/, "");
  return rows;
}

/** All the text inside an XLSX (every XML part, unzipped): what a person could find in the file. */
export function xlsxText(file: string): string {
  const parts = unzipSync(readFileSync(file));
  return Object.values(parts)
    .map((p) => strFromU8(p))
    .join("\n");
}

/**
 * Every run of 11 digits in a text (a raw mainland mobile number looks like one). Digits after a decimal
 * point are left out: a spreadsheet stores a time as a fraction of a day (46363.13815712963).
 */
export const elevenDigitRuns = (text: string): string[] => text.match(/(?<!\d|\d\.)\d{11}(?!\d)/g) ?? [];
