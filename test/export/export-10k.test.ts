import { createWriteStream, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExportRequest, writeExport } from "../../adapters/export/run-export.ts";
import { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import { parseDayRange } from "../../core/export/range.ts";
import { EXPORT_PAGE } from "../../core/export/select.ts";
import { tableHeader } from "../../core/export/table.ts";
import { exportTable } from "../../core/export/tables.ts";
import type { TicketQuery, TicketStore } from "../../core/ports.ts";
import { demoDirectory } from "../support/directory.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";
import { elevenDigitRuns, readCsv, readXlsx, xlsxText } from "./support/read-back.ts";
import { type SeededTicket, seedTickets } from "./support/seed.ts";

const N = 10_000;
const MASKED = /^1\d{2}\*{4}\d{4}$/;
const directory = demoDirectory();
let dir: string;
let store: LowdbTicketStore;
let seeded: SeededTicket[];
let phones: Set<string>;

const request = (over: Partial<ExportRequest> = {}): ExportRequest => ({
  table: "records",
  format: "xlsx",
  locale: "zh-CN",
  timeZone: "Asia/Shanghai",
  filter: { range: parseDayRange({}, "Asia/Shanghai"), includeArchived: true },
  ...over,
});

/** The store, with a note of how many bytes had reached the file when each page was asked for. */
function watched(out: { bytesWritten: number }) {
  const calls: { limit: number; bytesSoFar: number }[] = [];
  const list = (q: TicketQuery) => {
    calls.push({ limit: q.limit, bytesSoFar: out.bytesWritten });
    return store.list(q);
  };
  return { calls, store: { list } satisfies Pick<TicketStore, "list"> };
}

async function exportTo(file: string, req: ExportRequest) {
  const out = createWriteStream(file);
  const watch = watched(out);
  const started = performance.now();
  const rows = await writeExport({ store: watch.store, directory }, req, out as Writable);
  out.end();
  await finished(out);
  const ms = performance.now() - started;
  const bytes = statSync(file).size;
  console.log(
    `export ${req.table} ${req.format}: ${rows} rows, ${(bytes / 1024).toFixed(0)} KiB, ${ms.toFixed(0)} ms`,
  );
  return { rows, calls: watch.calls, bytes };
}

beforeAll(async () => {
  dir = await makeTmpDir("export-10k");
  store = new LowdbTicketStore({ dir: join(dir, "data") });
  await store.open();
  const started = performance.now();
  seeded = await seedTickets(store, N);
  console.log(`seeded ${N} tickets in ${(performance.now() - started).toFixed(0)} ms`);
  phones = new Set(seeded.map((t) => t.phone));
}, 300_000);

afterAll(async () => {
  await store.close();
  await removeDir(dir);
});

// Heavy on a shared machine: generous limits, and no assertion on time (the figures are printed).
describe("exporting 10k tickets", { timeout: 180_000 }, () => {
  it("XLSX: every ticket once under the zh-CN headers, contacts masked, no raw phone anywhere, no formulas", async () => {
    const file = join(dir, "records.xlsx");
    const { rows, calls, bytes } = await exportTo(file, request());
    expect(rows).toBe(N);

    // streamed: page by page, and bytes reached the file before the last page was read
    expect(calls.length).toBeGreaterThanOrEqual(N / EXPORT_PAGE);
    expect(Math.max(...calls.map((c) => c.limit))).toBeLessThanOrEqual(EXPORT_PAGE);
    expect(calls.at(-1)!.bytesSoFar).toBeGreaterThan(0);
    expect(calls.at(-1)!.bytesSoFar).toBeLessThan(bytes);

    const { rows: cells, workbook } = await readXlsx(file);
    const header = tableHeader(exportTable("records"), "zh-CN");
    expect(cells[0]).toEqual(header);
    expect(header).toEqual([
      "工单号",
      "客户",
      "联系方式",
      "产品/型号",
      "问题描述",
      "优先级",
      "处理部门",
      "负责人",
      "受理时间",
      "承诺完成时间",
      "解决时间",
      "解决方案",
      "客户确认",
      "状态",
    ]);
    expect(cells).toHaveLength(N + 1);
    const body = cells.slice(1);
    expect(new Set(body.map((r) => r[0]))).toEqual(new Set(seeded.map((t) => t.number)));
    for (const r of body) expect(String(r[2])).toMatch(MASKED);
    // the formula-looking customer text stays text, defused with a leading quote
    const hyperlinks = body.filter((r) => String(r[4]).includes("HYPERLINK"));
    expect(hyperlinks).toHaveLength(N / 10);
    for (const r of hyperlinks) expect(String(r[4]).startsWith("'=")).toBe(true);
    expect(body.filter((r) => r[1] === "'@张先生").length).toBeGreaterThan(0);
    expect(body.every((r) => !String(r[1]).startsWith("@"))).toBe(true);
    let formulas = 0;
    workbook.worksheets[0]!.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas++;
      }),
    );
    expect(formulas).toBe(0);
    // receive times are real dates in Shanghai wall-clock time
    const byNumber = new Map(seeded.map((t) => [t.number, t]));
    const first = body[0]!;
    const created = Date.parse(byNumber.get(String(first[0]))!.createdAt);
    expect((first[8] as Date).getTime()).toBe(created + 8 * 3_600_000);

    const text = xlsxText(file);
    expect(elevenDigitRuns(text).filter((d) => phones.has(d))).toEqual([]);
    expect(text).toContain("139****0007");
  });

  it("CSV: the same rows and masking, English headers, read back with exceljs", async () => {
    const file = join(dir, "records.csv");
    const { rows } = await exportTo(file, request({ format: "csv", locale: "en" }));
    expect(rows).toBe(N);
    const raw = readFileSync(file, "utf8");
    expect(raw.startsWith("\uFEFFNumber,Customer,Contact,")).toBe(true);
    expect(elevenDigitRuns(raw).filter((d) => phones.has(d))).toEqual([]);

    const cells = await readCsv(file);
    expect(cells[0]).toEqual(tableHeader(exportTable("records"), "en"));
    expect(cells).toHaveLength(N + 1);
    const body = cells.slice(1);
    expect(new Set(body.map((r) => r[0]))).toEqual(new Set(seeded.map((t) => t.number)));
    for (const r of body) expect(r[2]).toMatch(MASKED);
    expect(body.filter((r) => r[4]!.startsWith("'=HYPERLINK"))).toHaveLength(N / 10);
    expect(body.filter((r) => r[13] === "resolved")).toHaveLength(seeded.filter((t) => t.resolved).length);
  });

  it("the follow-up table: one row per resolved ticket, scores as numbers, suggestions defused", async () => {
    const file = join(dir, "follow-ups.xlsx");
    const { rows } = await exportTo(file, request({ table: "follow-ups", locale: "en" }));
    const resolved = seeded.filter((t) => t.resolved);
    expect(rows).toBe(resolved.length);
    const { rows: cells } = await readXlsx(file);
    expect(cells[0]).toEqual([
      "Follow-up",
      "Ticket",
      "Customer",
      "Time",
      "Method",
      "Resolution score",
      "Attitude score",
      "Suggestion",
      "Improvement",
      "Owner",
      "Status",
    ]);
    const body = cells.slice(1);
    expect(body).toHaveLength(resolved.length);
    const done = body.filter((r) => r[4] === "phone");
    expect(done).toHaveLength(seeded.filter((t) => t.surveyed).length);
    for (const r of done) {
      expect(typeof r[5]).toBe("number");
      expect(r[6]).toBe(4);
      expect(String(r[7]).startsWith("'=1+1")).toBe(true);
    }
    const remedies = seeded.filter((t) => t.remedy).length;
    expect(remedies).toBeGreaterThan(0);
    expect(body.filter((r) => r[10] === "remedy open")).toHaveLength(remedies);
    expect(body.filter((r) => r[5] === 2)).toHaveLength(remedies);
    expect(body.filter((r) => r[10] === "to follow up")).toHaveLength(resolved.length - done.length);
    expect(elevenDigitRuns(xlsxText(file)).filter((d) => phones.has(d))).toEqual([]);
  });
});
