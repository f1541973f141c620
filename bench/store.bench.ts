/**
 * Status-change cost of the embedded store against plain lowdb (one Low + JSONFile holding every ticket,
 * the whole file rewritten per change), on the same tickets, at 1k, 10k and 100k stored tickets.
 * Shapes: "active" (every ticket in the hot set) and "archived" (90% resolved and moved to month files).
 * Run: npm run bench:store   (BENCH_SIZES=1000,10000 to pick sizes)
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import { LowdbTicketStore } from "../adapters/storage/lowdb/index.ts";
import type { TicketRecord } from "../core/ports.ts";
import { StaleWriteError } from "../core/ports.ts";
import type { TicketEvent } from "../core/ticket/events.ts";
import type { TicketState } from "../core/ticket/state.ts";
import { evolve } from "../core/ticket/state.ts";
import { buildTicket, nextStatusEvent, PERIOD } from "./support/dataset.ts";
import type { Figures } from "./support/measure.ts";
import { measure, mib, ms, rate, table } from "./support/measure.ts";

const SIZES = (process.env.BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const IN_FLIGHT = 32;
const SEED_IN_FLIGHT = 256;
const STORE_OPS = { sequential: 2000, concurrent: 4000 };
/** Plain lowdb rewrites everything per write: a fixed small number of writes at large sizes. */
const baselineOps = (size: number) =>
  size <= 1_000
    ? { sequential: 200, concurrent: 256 }
    : size <= 10_000
      ? { sequential: 20, concurrent: 32 }
      : { sequential: 3, concurrent: 8 };
const SHAPES = [
  { name: "active", resolvedShare: 0 },
  { name: "archived", resolvedShare: 0.9 },
] as const;

interface Row {
  readonly size: number;
  readonly shape: string;
  readonly impl: string;
  readonly mode: string;
  readonly hot: number;
  /** What the implementation keeps on disk for the hot set, and what a write rewrites. */
  readonly disk: string;
  readonly figures: Figures;
}

const rows: Row[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);
const nowIso = () => new Date().toISOString();

async function statusChange(store: LowdbTicketStore, number: string): Promise<void> {
  for (;;) {
    const record = (await store.get(number))!;
    try {
      await store.append(number, record.state.seq, [nextStatusEvent(record.state, nowIso())]);
      return;
    } catch (e) {
      if (!(e instanceof StaleWriteError)) throw e;
    }
  }
}

async function seed(store: LowdbTicketStore, size: number, resolvedShare: number): Promise<TicketRecord[]> {
  const records: TicketRecord[] = new Array(size);
  const every = resolvedShare > 0 ? Math.round(1 / (1 - resolvedShare)) : 0;
  await measure(size, SEED_IN_FLIGHT, async (i) => {
    records[i] = await store.create(PERIOD, buildTicket(i, every > 0 && i % every !== 0));
  });
  return records;
}

async function benchStore(size: number, shape: (typeof SHAPES)[number], dir: string) {
  const store = new LowdbTicketStore({ dir: join(dir, "store") });
  await store.open();
  const t0 = performance.now();
  const records = await seed(store, size, shape.resolvedShare);
  const archived = shape.resolvedShare > 0 ? await store.archive(nowIso()) : 0;
  log(`  seeded ${size} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s, archived ${archived}`);
  const targets = records.filter((r) => r.state.status !== "resolved").map((r) => r.state.number);
  const pick = (i: number) => targets[(i * 7919) % targets.length]!;
  // measure the steady state: no compaction left over from seeding, code warmed up
  while (store.stats().compacting) await new Promise((resolve) => setTimeout(resolve, 20));
  await measure(200, 1, (i) => statusChange(store, pick(i + 1)));
  for (const [mode, ops, inFlight] of [
    ["sequential", STORE_OPS.sequential, 1],
    [`${IN_FLIGHT} in flight`, STORE_OPS.concurrent, IN_FLIGHT],
  ] as const) {
    const figures = await measure(ops, inFlight, (i) => statusChange(store, pick(i)));
    const s = store.stats();
    rows.push({
      size,
      shape: shape.name,
      impl: "closeloop lowdb store",
      mode,
      hot: s.hot,
      disk: `snapshot ${mib(s.snapshotBytes)} + journal ${mib(s.journalBytes)}; appends a line`,
      figures,
    });
    log(`  store ${mode}: p50 ${ms(figures.p50)} ms, ${rate(figures.perSecond)}/s`);
  }
  await store.close();
  return { records, targets };
}

interface BaselineData {
  tickets: Record<string, { state: TicketState; events: TicketEvent[] }>;
}

async function benchBaseline(
  size: number,
  shape: string,
  dir: string,
  records: TicketRecord[],
  targets: string[],
) {
  const file = join(dir, "baseline.json");
  const db = new Low<BaselineData>(new JSONFile<BaselineData>(file), { tickets: {} });
  for (const r of records) db.data.tickets[r.state.number] = { state: r.state, events: [...r.events] };
  await db.write();
  const change = async (number: string) => {
    const t = db.data.tickets[number]!;
    const event = nextStatusEvent(t.state, nowIso());
    t.events.push(event);
    t.state = evolve(t.state, event);
    await db.write();
  };
  const pick = (i: number) => targets[(i * 7919) % targets.length]!;
  const ops = baselineOps(size);
  for (const [mode, count, inFlight] of [
    ["sequential", ops.sequential, 1],
    [`${Math.min(IN_FLIGHT, ops.concurrent)} in flight`, ops.concurrent, IN_FLIGHT],
  ] as const) {
    const figures = await measure(count, inFlight, (i) => change(pick(i)));
    const bytes = (await stat(file)).size;
    rows.push({
      size,
      shape,
      impl: "plain lowdb (baseline)",
      mode,
      hot: records.length,
      disk: `${mib(bytes)}; rewrites all of it`,
      figures,
    });
    log(`  baseline ${mode}: p50 ${ms(figures.p50)} ms, ${rate(figures.perSecond)}/s`);
  }
}

const started = performance.now();
for (const shape of SHAPES) {
  for (const size of SIZES) {
    log(`${shape.name}, ${size} tickets`);
    const dir = await mkdtemp(join(tmpdir(), "closeloop-bench-"));
    try {
      const { records, targets } = await benchStore(size, shape, dir);
      await benchBaseline(size, shape.name, dir, records, targets);
    } finally {
      await rm(dir, { recursive: true, force: true });
      // plain lowdb leaves gigabytes of unsynced writes; flush them so they do not slow the next fsyncs
      execFileSync("sync");
    }
  }
}

console.log(
  "\nStatus change (get + append of one event), closeloop lowdb store vs plain lowdb, same tickets, same run.",
);
console.log(
  "The store fsyncs every write (group commit); plain lowdb (steno) renames a temp file and never fsyncs.\n",
);
console.log(
  table(
    [
      "tickets",
      "shape",
      "implementation",
      "mode",
      "in memory",
      "on disk per write",
      "ops",
      "p50 ms",
      "p99 ms",
      "ops/s",
    ],
    rows.map((r) => [
      r.size.toLocaleString("en-US"),
      r.shape,
      r.impl,
      r.mode,
      r.hot.toLocaleString("en-US"),
      r.disk,
      String(r.figures.ops),
      ms(r.figures.p50),
      ms(r.figures.p99),
      rate(r.figures.perSecond),
    ]),
  ),
);
console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
