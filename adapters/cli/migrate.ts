import postgres, { type Sql } from "postgres";
import { readEnvironment } from "../config/environment.ts";
import { ConfigError } from "../config/load.ts";
import { LowdbTicketStore } from "../storage/lowdb/index.ts";
import {
  type BulkTicket,
  importDocs,
  importOutbox,
  importTickets,
  raiseCounters,
} from "../storage/postgres/bulk.ts";
import { migrate } from "../storage/postgres/migrate.ts";

interface MigrateOptions {
  from?: string;
  to?: string;
  "data-dir"?: string;
}

const BATCH = 500;
const FAR_FUTURE = "9999-12-31T23:59:59.999Z";
const NUMBER = /^[A-Z]{1,8}(\d{6})(\d{4,})$/;
const say = (line: string) => process.stderr.write(`${line}\n`);

function targetUrl(opts: MigrateOptions): string {
  const url = opts.to ?? process.env.DATABASE_URL;
  if (!url) throw new ConfigError("migrate: give --to postgres://… or set DATABASE_URL");
  if (!/^postgres(ql)?:\/\//.test(url))
    throw new ConfigError("--to: expected postgres://user:password@host/db");
  return url;
}

/** A progress bar on a terminal, a line per tenth otherwise. */
function progress(total: number): (done: number) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (done) => {
    const share = total === 0 ? 1 : done / total;
    const line = `${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} tickets`;
    if (tty) {
      const filled = Math.round(share * 30);
      process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${line}`);
      if (done >= total) process.stderr.write("\n");
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      say(`  ${Math.round(share * 100)}% ${line}`);
    }
  };
}

/**
 * `closeloop migrate`: applies the schema migrations (under an advisory lock, so it is safe beside running
 * instances). With `--from lowdb`: then copies the embedded store in CLOSELOOP_DATA_DIR (or --data-dir)
 * into the database, checks counts and each ticket's checksum, and may be run again safely.
 */
export async function migrateCommand(opts: MigrateOptions): Promise<number> {
  const url = targetUrl(opts);
  if (opts.from !== undefined && opts.from !== "lowdb")
    throw new ConfigError(`--from: only "lowdb" (the embedded store) can be copied from, not "${opts.from}"`);
  const sql = postgres(url, { max: 4, onnotice: () => {} });
  try {
    const result = await migrate(sql, (line) => say(line));
    say(`schema at version ${result.version} (${result.applied.length} applied now) / 数据库结构已是最新`);
    if (opts.from === undefined) return 0;
    const dir = opts["data-dir"] ?? readEnvironment(process.env).dataDir;
    return await copyFromLowdb(sql, dir);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function copyFromLowdb(sql: Sql, dir: string): Promise<number> {
  const source = new LowdbTicketStore({ dir });
  await source.open();
  try {
    const stats = source.stats();
    const total = stats.hot + stats.archived;
    say(`copying ${total.toLocaleString("en-US")} tickets from lowdb at ${dir} / 正在从内置存储复制工单`);
    const active = new Set<string>();
    for await (const r of pages(source, false)) active.add(r.state.number);

    const counters = new Map<string, number>();
    const tally = { inserted: 0, replaced: 0, unchanged: 0, seen: 0 };
    const mismatched: string[] = [];
    const show = progress(total);
    let batch: BulkTicket[] = [];
    const flush = async () => {
      const r = await importTickets(sql, batch);
      tally.inserted += r.inserted;
      tally.replaced += r.replaced;
      tally.unchanged += r.unchanged;
      mismatched.push(...r.mismatched);
      tally.seen += batch.length;
      batch = [];
      show(tally.seen);
    };
    for await (const record of pages(source, true)) {
      const m = NUMBER.exec(record.state.number);
      if (m) counters.set(m[1]!, Math.max(counters.get(m[1]!) ?? 0, Number(m[2])));
      batch.push({ record, archived: !active.has(record.state.number) });
      if (batch.length >= BATCH) await flush();
    }
    if (batch.length > 0 || tally.seen === 0) await flush();
    await raiseCounters(sql, counters);
    const pending = await source.dueOutbox(FAR_FUTURE, Number.MAX_SAFE_INTEGER);
    const rows = await importOutbox(sql, pending);
    let docs = 0;
    for (const collection of source.docCollections()) {
      let cursor: string | undefined;
      do {
        const page = await source.listDocs(collection, { limit: 500, ...(cursor ? { cursor } : {}) });
        docs += await importDocs(sql, page.items);
        cursor = page.nextCursor;
      } while (cursor);
    }

    // counts: every source ticket and pending outbox row is in the database
    const [found] = await sql<{ tickets: string; rows: string }[]>`
      SELECT (SELECT count(*) FROM tickets) AS tickets,
             (SELECT count(*) FROM outbox WHERE key = ANY(${pending.map((p) => p.key)}::text[])) AS rows`;
    say(
      `tickets: ${tally.inserted} copied, ${tally.replaced} updated, ${tally.unchanged} already there; ` +
        `outbox: ${rows} of ${pending.length} pending rows copied (the rest were there); docs: ${docs} copied`,
    );
    const countsOk =
      tally.seen === total && Number(found!.tickets) >= total && Number(found!.rows) === pending.length;
    say(
      `counts: source ${total}, read ${tally.seen}, database ${found!.tickets}; pending rows ${pending.length}, ` +
        `in database ${found!.rows} — ${countsOk ? "ok" : "MISMATCH"}`,
    );
    say(
      mismatched.length === 0
        ? `checksums: all ${tally.seen} tickets match / 每张工单校验一致`
        : `checksums: ${mismatched.length} tickets differ: ${mismatched.slice(0, 20).join(", ")}`,
    );
    return countsOk && mismatched.length === 0 ? 0 : 1;
  } finally {
    await source.close();
  }
}

async function* pages(store: LowdbTicketStore, includeArchived: boolean) {
  let cursor: string | undefined;
  do {
    const page = await store.list({ includeArchived, limit: 200, ...(cursor ? { cursor } : {}) });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}
