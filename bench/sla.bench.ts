/**
 * The SLA sweep's cost with 0, 10 and 1,000 stages due among 10k, 100k and 1M open tickets, beside a full
 * scan of the same tickets measured in the same run. The sweep uses the due index the embedded store
 * keeps (a heap keyed by next-due instant): it finds what is due and re-indexes each fired ticket, as the
 * store does after the write that records the fired stage.
 * Run: npm run bench:sla   (BENCH_SIZES=10000,100000 to pick sizes)
 */
import { DueIndex } from "../core/sla/due-index.ts";
import { ms, table } from "./support/measure.ts";

const SIZES = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const DUE_COUNTS = [0, 10, 1000];
const REPEATS = 30;
const NOW = Date.parse("2026-11-23T02:00:00Z");
const DAY = 86_400_000;

interface Ticket {
  nextDueAt: number;
}

/** Open tickets due at random times over the coming month; `due` of them already due now. */
function build(size: number, due: number): { tickets: Map<string, Ticket>; index: DueIndex } {
  const tickets = new Map<string, Ticket>();
  const index = new DueIndex();
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < size; i++) {
    const at = i < due ? NOW - 1 - Math.floor(random() * 60_000) : NOW + 1 + Math.floor(random() * 30 * DAY);
    const id = `CS202611${String(i).padStart(7, "0")}`;
    tickets.set(id, { nextDueAt: at });
    index.set(id, at);
  }
  return { tickets, index };
}

/** One sweep: take what is due, fire each (its next stage moves a day on), re-index it. */
function sweep(tickets: Map<string, Ticket>, index: DueIndex): number {
  let fired = 0;
  for (;;) {
    const due = index.due(NOW, 200);
    if (due.length === 0) return fired;
    for (const id of due) {
      const t = tickets.get(id)!;
      t.nextDueAt += DAY;
      index.set(id, t.nextDueAt);
      fired++;
    }
  }
}

/** The baseline: the same sweep when it has to look at every open ticket to find what is due. */
function scan(tickets: Map<string, Ticket>): number {
  let fired = 0;
  for (const t of tickets.values()) {
    if (t.nextDueAt > NOW) continue;
    t.nextDueAt += DAY;
    fired++;
  }
  return fired;
}

function timed(run: () => void): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rows: string[][] = [];
for (const size of SIZES) {
  for (const dueCount of DUE_COUNTS) {
    const sweeps: number[] = [];
    const scans: number[] = [];
    let fired = 0;
    for (let r = 0; r < REPEATS; r++) {
      const { tickets, index } = build(size, dueCount);
      sweeps.push(
        timed(() => {
          fired = sweep(tickets, index);
        }),
      );
      if (r < 5) {
        const fresh = build(size, dueCount).tickets;
        scans.push(timed(() => scan(fresh)));
      }
    }
    if (fired !== dueCount) throw new Error(`sweep fired ${fired}, expected ${dueCount}`);
    rows.push([
      size.toLocaleString("en-US"),
      String(dueCount),
      ms(median(sweeps)),
      ms(median(sweeps) / Math.max(1, dueCount)),
      ms(median(scans)),
    ]);
  }
}

console.log(`SLA sweep (median of ${REPEATS} sweeps; full-scan baseline: median of 5)\n`);
console.log(table(["open tickets", "due", "sweep ms", "ms per due item", "full scan ms"], rows));
console.log("\nThe sweep's cost follows the due column; the full scan's follows the open-tickets column.");
