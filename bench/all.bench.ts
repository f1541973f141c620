/**
 * Issue 11's benchmarks in one run, one table: server memory at 10k and 100k tickets, card actions and
 * ticket creation at 100k (bench/actions.bench.ts), and the notification fan-out (bench/fanout.bench.ts).
 * Writes the table into bench/RESULTS.md with the machine, the date and the command.
 *
 * Run: npm run bench
 *   BENCH_PARTS=memory,actions,create,fanout   which parts (default all)
 *   BENCH_SIZES=10000,100000                   store sizes: memory at each, actions and creation at the last
 *   quick: BENCH_SIZES=2000,10000 BENCH_DURATION=5 BENCH_CREATE=1000 BENCH_FANOUT=1000 npm run bench
 */
import { cardActions, creation, memoryRow } from "./actions.bench.ts";
import { fanout } from "./fanout.bench.ts";
import { commandLine, type Row, render, writeResults } from "./support/report.ts";
import { startWorld } from "./support/world.ts";

const parts = (process.env.BENCH_PARTS ?? "memory,actions,create,fanout").split(",");
const sizes = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const rows: Row[] = [];
const started = performance.now();

if (parts.some((p) => p === "memory" || p === "actions" || p === "create")) {
  const world = await startWorld({ tickets: sizes[0]! });
  try {
    for (const [i, size] of sizes.entries()) {
      if (i > 0) await world.grow(size);
      if (parts.includes("memory")) await memoryRow(world, rows, "idle after start");
    }
    if (parts.includes("actions")) await cardActions(world, rows);
    if (parts.includes("create")) await creation(world, rows);
    if (parts.includes("memory") && (parts.includes("actions") || parts.includes("create")))
      await memoryRow(world, rows, "after the runs");
  } finally {
    await world.stop();
  }
}
if (parts.includes("fanout")) await fanout(rows);

process.stdout.write(`\n${render(rows)}\n\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
writeResults("all", "Issue 11: card actions, creation, fan-out, memory", commandLine("bench"), rows);
