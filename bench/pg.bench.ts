/**
 * The PostgreSQL store under load: command throughput and latency (p50/p99) for one and for three closeloop
 * instances (separate processes, each with its own pool, LISTEN feed and change listener) at 100k and 1M
 * stored tickets, beside pgbench's built-in simple-update script on the same server in the same run, as the
 * ceiling of what the server does with one small UPDATE/SELECT/INSERT transaction. Then EXPLAIN ANALYZE of
 * the board, sweep, outbox and stats queries exactly as the store sends them.
 *
 * A command here is what a card click costs the store: read the ticket, then one transaction that appends a
 * status event guarded by its seq, with one outbox row, and NOTIFYs the other instances.
 *
 * Run: npm run bench:pg   (BENCH_SIZES=100000,1000000  BENCH_SECONDS=15  BENCH_IN_FLIGHT=16
 *      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres  BENCH_EXPLAIN_OUT=docs/storage)
 * It creates scratch databases (closeloop_bench_*, closeloop_pgbench_*) and drops them at the end.
 */
import { execFileSync, fork } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres, { type Sql } from "postgres";
import { insertTickets, raiseCounters } from "../adapters/storage/postgres/bulk.ts";
import { PostgresTicketStore } from "../adapters/storage/postgres/index.ts";
import { StaleWriteError, type TicketQuery, type TicketRecord } from "../core/ports.ts";
import type { TicketEvent } from "../core/ticket/events.ts";
import { fold } from "../core/ticket/state.ts";
import { buildTicket, nextStatusEvent, PERIOD } from "./support/dataset.ts";
import { type Figures, ms, rate, table } from "./support/measure.ts";

const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.CLOSELOOP_TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";
const SIZES = (process.env.BENCH_SIZES ?? "100000,1000000").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const INSTANCES = [1, 3];
const RESOLVED_SHARE = 0.9;
const SEED_BATCH = 1000;
const NOW = Date.parse("2025-06-30T12:00:00.000Z");
const DAY = 86_400_000;

const log = (line: string) => process.stderr.write(`${line}\n`);
const withDatabase = (url: string, db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;

// ---------------------------------------------------------------------------------------------- worker

interface WorkerResult {
  readonly latencies: number[];
  readonly elapsedMs: number;
  readonly retries: number;
}

/** One instance: its own store (pool, LISTEN feed, a listener as the scheduler and board would have). */
async function worker(): Promise<void> {
  const id = Number(process.env.BENCH_WORKER_ID);
  const store = new PostgresTicketStore({ url: process.env.BENCH_URL!, migrate: false, max: 10 });
  await store.open();
  store.onChange(() => {});
  const targets = (await store.sql<{ number: string }[]>`SELECT number FROM tickets WHERE NOT archived`).map(
    (r) => r.number,
  );
  let retries = 0;
  let seq = 0;
  const command = async (i: number) => {
    const number = targets[(i * 7919 + id * 104_729) % targets.length]!;
    for (;;) {
      const record = (await store.get(number))!;
      const event = nextStatusEvent(record.state, new Date().toISOString());
      const row = {
        key: `bench-${id}-${seq++}`,
        kind: "assigned",
        recipient: record.state.owner ?? "alice",
        ticket: number,
        payload: { status: event.type },
      };
      try {
        await store.append(number, record.state.seq, [event], [row]);
        return;
      } catch (e) {
        if (!(e instanceof StaleWriteError)) throw e;
        retries++;
      }
    }
  };
  const run = async (seconds: number): Promise<WorkerResult> => {
    const latencies: number[] = [];
    const started = performance.now();
    const until = started + seconds * 1000;
    let next = 0;
    const lane = async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await command(next++);
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    return { latencies, elapsedMs: performance.now() - started, retries };
  };
  await run(2); // warm up: plans cached, pool full
  retries = 0;
  process.send!({ t: "ready" });
  process.once("message", async () => {
    const result = await run(SECONDS);
    process.send!({ t: "done", ...result }, () => {
      void store.close().then(() => process.exit(0));
    });
  });
}

// ---------------------------------------------------------------------------------------------- parent

async function runInstances(url: string, count: number): Promise<Figures & { retries: number }> {
  const children = Array.from({ length: count }, (_, i) =>
    fork(import.meta.filename, [], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, BENCH_PG_WORKER: "1", BENCH_WORKER_ID: String(i), BENCH_URL: url },
    }),
  );
  const message = (c: (typeof children)[number], t: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      c.on("message", (m: Record<string, unknown>) => m.t === t && resolve(m));
      c.once("exit", (code) => code !== 0 && reject(new Error(`bench worker exited ${code}`)));
    });
  await Promise.all(children.map((c) => message(c, "ready")));
  const done = children.map((c) => message(c, "done"));
  for (const c of children) c.send({ t: "go" });
  const results = (await Promise.all(done)) as unknown as WorkerResult[];
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const elapsed = Math.max(...results.map((r) => r.elapsedMs));
  return {
    ops: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: (latencies.length / elapsed) * 1000,
    retries: results.reduce((n, r) => n + r.retries, 0),
  };
}

/** Tickets i in [from, to): 90% resolved and archived; the open ones carry an SLA stage (1% already due). */
function record(i: number): { record: TicketRecord; archived: boolean } {
  const resolved = i % 10 !== 0;
  const { events } = buildTicket(i, resolved)(i + 1);
  const [created, ...rest] = events;
  // one chat message per ticket (the data set's message ids repeat now and then at this scale)
  const all: TicketEvent[] = [
    created!.type === "created"
      ? { ...created!, origin: { ...created!.origin, messageId: `om_bench_${i}` } }
      : created!,
    ...rest,
  ];
  if (!resolved) {
    const at = i % 100 === 0 ? NOW - 60_000 : NOW + ((i * 7919) % (30 * DAY));
    all.push({
      at: new Date(NOW - DAY).toISOString(),
      actor: "system",
      via: "system",
      type: "deadlines_set",
      due: { resolution: new Date(at + 3_600_000).toISOString() },
      schedule: [
        {
          key: `resolution:warn:0:${i}`,
          at: new Date(at).toISOString(),
          target: "resolution",
          stage: "warn",
          level: 0,
          due: new Date(at + 3_600_000).toISOString(),
        },
      ],
    });
  }
  return { record: { state: fold(all), events: all }, archived: resolved };
}

async function seed(sql: Sql, from: number, to: number): Promise<void> {
  const t0 = performance.now();
  for (let start = from; start < to; start += SEED_BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(to, start + SEED_BATCH); i++) batch.push(record(i));
    await insertTickets(sql, batch);
    if ((start - from) % 50_000 === 0)
      log(
        `  seeded ${(start + batch.length).toLocaleString("en-US")} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      );
  }
  await raiseCounters(sql, new Map([[PERIOD, to]]));
  log(`  seeding ${from}..${to} took ${((performance.now() - t0) / 1000).toFixed(0)} s; vacuum analyze`);
  await sql.unsafe("VACUUM ANALYZE");
}

interface PgbenchFigures extends Figures {
  readonly clients: number;
}

/** pgbench's simple-update (one UPDATE, one SELECT, one INSERT per transaction) on a scratch database. */
function pgbench(url: string, clients: number): PgbenchFigures {
  const u = new URL(url);
  const db = u.pathname.slice(1);
  const conn = ["-h", u.hostname, "-p", u.port || "5432", "-U", decodeURIComponent(u.username || "postgres")];
  const dir = mkdtempSync(join(tmpdir(), "closeloop-pgbench-"));
  try {
    const out = execFileSync(
      "pgbench",
      [
        ...conn,
        "-b",
        "simple-update",
        "-M",
        "prepared",
        "-c",
        String(clients),
        "-j",
        "2",
        "-T",
        String(SECONDS),
        "-l",
        `--log-prefix=${join(dir, "tx")}`,
        db,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const latencies: number[] = [];
    for (const f of readdirSync(dir))
      for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
        const us = Number(line.split(" ")[2]);
        if (Number.isFinite(us) && line) latencies.push(us / 1000);
      }
    latencies.sort((a, b) => a - b);
    return {
      clients,
      ops: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      perSecond: tps,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** EXPLAIN ANALYZE of each query exactly as the store sends it (captured from its pool). */
async function explainAll(url: string, size: number): Promise<string> {
  let last: { text: string; params: readonly unknown[] } | undefined;
  const store = new PostgresTicketStore({
    url,
    migrate: false,
    listen: false,
    max: 1,
    onQuery: (text, params) => {
      last = { text, params };
    },
  });
  await store.open();
  const sql = store.sql;
  const sample = (
    await sql<{ number: string; owner: string; department: string; hash: string; ref: string }[]>`
    SELECT t.number, t.owner, t.department, c.hash, t.state->>'orderNo' AS ref
    FROM tickets t JOIN ticket_contacts c ON c.number = t.number
    WHERE NOT t.archived ORDER BY t.number DESC LIMIT 1`
  )[0]!;
  const now = new Date(NOW).toISOString();
  const firstPage = await store.list({ status: ["pending", "in_progress"], limit: 50 });
  const cases: [string, () => Promise<unknown>][] = [
    [
      "board: open tickets, newest first",
      () => store.list({ status: ["pending", "in_progress"], limit: 50 }),
    ],
    [
      "board: the next page (keyset cursor)",
      () => store.list({ status: ["pending", "in_progress"], limit: 50, cursor: firstPage.nextCursor! }),
    ],
    [
      "board: one department",
      () => store.list({ department: sample.department, status: ["pending", "in_progress"], limit: 50 }),
    ],
    ["board: one owner", () => store.list({ owner: sample.owner, limit: 50 })],
    ["board: overdue", () => store.list({ overdueAt: now, limit: 50 })],
    ["board: search text", () => store.list({ q: sample.ref.toLowerCase(), limit: 50 })],
    ["board: phone number (keyed hash)", () => store.list({ phoneHash: sample.hash, limit: 50 })],
    ["sweep: due tickets", () => store.dueTickets(now, 200)],
    ["sweep: claim due tickets (leases)", () => store.claimDueTickets(now, 200)],
    ["sweep: next due instant", () => store.nextDueAt()],
    ["outbox: claim due rows (recipient leases)", () => store.claimOutbox(new Date().toISOString(), 100)],
    [
      "stats: every ticket incl. archive, one page (what /api/v1/stats pages through)",
      () => store.list({ includeArchived: true, limit: 200 } satisfies TicketQuery),
    ],
  ];
  const out: string[] = [`# EXPLAIN ANALYZE at ${size.toLocaleString("en-US")} tickets\n`];
  for (const [title, run] of cases) {
    await run();
    const q = last!;
    const plan = await sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.params as never[]);
    out.push(`## ${title}\n\n\`\`\`\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}\n\`\`\`\n`);
  }
  const stats: [string, string][] = [
    [
      "stats: open tickets by department, status and priority",
      "SELECT department, status, priority, count(*) FROM tickets WHERE NOT archived GROUP BY 1, 2, 3",
    ],
    [
      "stats: resolutions per day over 30 days",
      `SELECT date_trunc('day', resolved_at) AS day, department, count(*) FROM tickets
       WHERE resolved_at >= '${new Date(NOW - 30 * DAY).toISOString()}' GROUP BY 1, 2`,
    ],
    [
      "stats: overdue count by department",
      `SELECT department, count(*) FROM tickets WHERE status <> 'resolved'
       AND LEAST(response_due, resolution_due) < '${now}' GROUP BY 1`,
    ],
  ];
  for (const [title, text] of stats) {
    const plan = await sql.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${text}`);
    out.push(
      `## ${title}\n\n\`\`\`sql\n${text.replace(/\s+/g, " ")}\n\`\`\`\n\n\`\`\`\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}\n\`\`\`\n`,
    );
  }
  await store.close();
  return out.join("\n");
}

/** The root of each plan with its time: one line per query for the console. */
function planSummary(md: string): string[] {
  const lines: string[] = [];
  for (const section of md.split("\n## ").slice(1)) {
    const title = section.split("\n")[0]!;
    const plan = section.split("```\n").at(-2) ?? "";
    const nodes = plan
      .split("\n")
      .filter(
        (l) => /(Scan|Join|Insert|Aggregate|Result)/.test(l) && !/^\s*(Buffers|Planning|Execution)/.test(l),
      )
      .map((l) =>
        l
          .trim()
          .replace(/^->\s*/, "")
          .replace(/\s+\(cost=[^)]*\)/, ""),
      )
      .filter((l) => /Index|Bitmap|Seq Scan/.test(l))
      .slice(0, 2);
    const time = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
    lines.push(`  ${title}: ${time} ms — ${nodes.join("; ") || "(no scan)"}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const tag = `${process.pid}`;
  const dbName = `closeloop_bench_${tag}`;
  const pgbenchDb = `closeloop_pgbench_${tag}`;
  const url = withDatabase(ADMIN_URL, dbName);
  const started = performance.now();
  const rows: string[][] = [];
  const summaries: string[] = [];
  try {
    await admin.unsafe(`CREATE DATABASE "${dbName}"`);
    await admin.unsafe(`CREATE DATABASE "${pgbenchDb}"`);
    const server = (
      await admin`SELECT version() AS v, current_setting('shared_buffers') AS sb, current_setting('synchronous_commit') AS sc`
    )[0]!;
    log(`${server.v}; shared_buffers ${server.sb}, synchronous_commit ${server.sc}`);

    log("pgbench: initialising scale 10 (1M accounts)");
    const pu = new URL(withDatabase(ADMIN_URL, pgbenchDb));
    execFileSync(
      "pgbench",
      [
        "-h",
        pu.hostname,
        "-p",
        pu.port || "5432",
        "-U",
        decodeURIComponent(pu.username || "postgres"),
        "-i",
        "-q",
        "-s",
        "10",
        pgbenchDb,
      ],
      { stdio: "ignore" },
    );
    for (const instances of INSTANCES) {
      const clients = IN_FLIGHT * instances;
      const f = pgbench(pu.toString(), clients);
      log(`  pgbench simple-update, ${clients} clients: ${rate(f.perSecond)} tx/s, p99 ${ms(f.p99)} ms`);
      rows.push([
        "(pgbench)",
        `simple-update, ${clients} clients`,
        "pgbench",
        String(f.ops),
        ms(f.p50),
        ms(f.p99),
        rate(f.perSecond),
      ]);
    }

    const sql = postgres(url, { max: 4, onnotice: () => {} });
    const setup = new PostgresTicketStore({ url, listen: false, max: 2 });
    await setup.open();
    await setup.close();
    let have = 0;
    for (const size of SIZES) {
      log(`${size.toLocaleString("en-US")} tickets`);
      await seed(sql, have, size);
      have = size;
      for (const instances of INSTANCES) {
        const f = await runInstances(url, instances);
        log(
          `  ${instances} instance(s): ${rate(f.perSecond)} commands/s, p50 ${ms(f.p50)} ms, p99 ${ms(f.p99)} ms, ${f.retries} stale retries`,
        );
        rows.push([
          size.toLocaleString("en-US"),
          `${instances} instance${instances > 1 ? "s" : ""} x ${IN_FLIGHT} in flight`,
          "closeloop postgres store",
          String(f.ops),
          ms(f.p50),
          ms(f.p99),
          rate(f.perSecond),
        ]);
      }
      // the commands changed statuses and filled the outbox: fresh statistics, as autovacuum would keep them
      await sql.unsafe("ANALYZE");
      const plans = await explainAll(url, size);
      summaries.push(`${size.toLocaleString("en-US")} tickets:`, ...planSummary(plans));
      if (process.env.BENCH_EXPLAIN_OUT)
        writeFileSync(
          join(
            process.env.BENCH_EXPLAIN_OUT,
            `plans-${size >= 1e6 ? `${size / 1e6}m` : `${size / 1e3}k`}.md`,
          ),
          plans,
        );
    }
    await sql.end();
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.unsafe(`DROP DATABASE IF EXISTS "${pgbenchDb}" WITH (FORCE)`);
    await admin.end();
  }
  console.log(
    `\nCommands (read + guarded append of one event with one outbox row and a NOTIFY), ${SECONDS} s each, ` +
      `${Math.round(RESOLVED_SHARE * 100)}% of tickets resolved and archived; pgbench simple-update on the same server as the ceiling.\n`,
  );
  console.log(table(["tickets", "load", "what", "ops", "p50 ms", "p99 ms", "per second"], rows));
  console.log("\nQuery plans (EXPLAIN ANALYZE, the store's own statements):");
  console.log(summaries.join("\n"));
  console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

if (process.env.BENCH_PG_WORKER === "1") await worker();
else await main();
