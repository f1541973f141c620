/**
 * Exports of 10k tickets (npm run bench:export [-- n]): each format's time, file size and the memory in use mid-export,
 * beside the ceiling measured in the same run: paging through the same tickets without writing anything.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { type ExportRequest, writeExport } from "../adapters/export/run-export.ts";
import { LowdbTicketStore } from "../adapters/storage/lowdb/index.ts";
import { parseDayRange } from "../core/export/range.ts";
import { exportTickets } from "../core/export/select.ts";
import { exportTable } from "../core/export/tables.ts";
import { seedTickets } from "../test/export/support/seed.ts";
import { demoDirectory } from "../test/support/directory.ts";
import { mib, ms, table } from "./support/measure.ts";

const n = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), "closeloop-bench-export-"));
const store = new LowdbTicketStore({ dir: join(dir, "data") });
await store.open();
await seedTickets(store, n);
const directory = demoDirectory();
const base: ExportRequest = {
  table: "records",
  format: "csv",
  locale: "zh-CN",
  timeZone: "Asia/Shanghai",
  filter: { range: parseDayRange({}, "Asia/Shanghai"), includeArchived: true },
};

/**
 * Runs `work`, which calls `sample` now and then: each sample collects garbage first (node --expose-gc), so the
 * figure is memory still in use mid-export (rows held), not garbage waiting for a collection.
 */
async function liveMemory<T>(
  work: (sample: () => void) => Promise<T>,
): Promise<{ value: T; growth: number; elapsed: number }> {
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  global.gc?.();
  const start = used();
  let peak = start;
  const sample = () => {
    global.gc?.();
    peak = Math.max(peak, used());
  };
  const t0 = performance.now();
  const value = await work(sample);
  const elapsed = performance.now() - t0;
  return { value, growth: Math.max(0, peak - start), elapsed };
}

const rows: string[][] = [];
const ceiling = await liveMemory(async (sample) => {
  let k = 0;
  for await (const _ of exportTickets(store, exportTable("records"), base.filter))
    if (++k % 2000 === 0) sample();
  return k;
});
rows.push([
  "page through the store (ceiling)",
  String(ceiling.value),
  ms(ceiling.elapsed),
  "-",
  mib(ceiling.growth),
]);
for (const req of [
  base,
  { ...base, format: "xlsx" as const },
  { ...base, table: "follow-ups" as const, format: "xlsx" as const },
]) {
  const file = join(dir, `${req.table}.${req.format}`);
  const run = await liveMemory(async (sample) => {
    const out = createWriteStream(file);
    const count = await writeExport({ store, directory }, req, out, (k) => k % 2000 === 0 && sample());
    out.end();
    await finished(out);
    return count;
  });
  rows.push([
    `${req.table} ${req.format}`,
    String(run.value),
    ms(run.elapsed),
    mib(statSync(file).size),
    mib(run.growth),
  ]);
}
console.log(`${n} tickets, lowdb store, ${process.arch}, node ${process.version}\n`);
console.log(table(["export", "rows", "ms", "file", "live memory mid-export"], rows));
await store.close();
rmSync(dir, { recursive: true, force: true });
