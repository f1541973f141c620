import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresTicketStore } from "../../adapters/storage/postgres/index.ts";
import type { TicketRecord } from "../../core/ports.ts";
import { postgresAvailable, type ThrowAwayDatabase, throwAwayDatabase } from "../support/postgres.ts";

const available = await postgresAvailable("the multi-instance fault test");

const INSTANCE = join(import.meta.dirname, "fixtures/instance.ts");
// Monday 2026-11-23 10:00 in Shanghai; urgent tickets run round the clock (urgent24x7)
const START = Date.parse("2026-11-23T02:00:00.000Z");
const HOUR = 3_600_000;
const TICKETS_PER_INSTANCE = 40;
const debug = (line: string) => {
  if (process.env.DEBUG_SCALE) process.stderr.write(`[scale] ${line}\n`);
};
const LEASE_MS = 1500;

interface Receipt {
  readonly instance: string;
  readonly recipient: string;
  readonly keys: readonly string[];
}

/** A chat platform on 127.0.0.1 that records every delivery; one request in 11 fails with a 503 first. */
async function fakePlatform(): Promise<{ server: Server; url: string; receipts: Receipt[] }> {
  const receipts: Receipt[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      requests++;
      if (requests % 11 === 0) {
        res.writeHead(503).end();
        return;
      }
      receipts.push(JSON.parse(body) as Receipt);
      // a little latency, so an instance is caught with deliveries in flight
      setTimeout(() => res.writeHead(200).end("{}"), 3);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/deliver`, receipts };
}

class Instance {
  readonly name: string;
  readonly child: ChildProcess;
  holder = "";
  #waiters: { type: string; resolve: (m: Record<string, unknown>) => void }[] = [];
  readonly #unclaimed: Record<string, unknown>[] = [];
  readonly #exited: Promise<void>;

  constructor(name: string, env: Record<string, string>) {
    this.name = name;
    this.child = fork(INSTANCE, [], {
      env: { ...process.env, ...env, INSTANCE: name },
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (m: Record<string, unknown>) => {
      if (m.t === "error") throw new Error(`${name}: ${m.message}`);
      const i = this.#waiters.findIndex((w) => w.type === m.t);
      if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(m);
      else this.#unclaimed.push(m);
    });
    this.#exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  /** The next message of `type` (one that came before anyone asked is kept for the first to ask). */
  next(type: string): Promise<Record<string, unknown>> {
    const i = this.#unclaimed.findIndex((m) => m.t === type);
    if (i >= 0) return Promise.resolve(this.#unclaimed.splice(i, 1)[0]!);
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  async ask(message: object, reply: string): Promise<Record<string, unknown>> {
    const answer = this.next(reply);
    this.child.send(message);
    return answer;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.#exited;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill("SIGTERM");
    await this.#exited;
  }
}

describe.skipIf(!available)("three instances on one database, one killed mid-work", () => {
  let db: ThrowAwayDatabase | undefined;
  const instances: Instance[] = [];
  let platform: Awaited<ReturnType<typeof fakePlatform>> | undefined;
  let store: PostgresTicketStore | undefined;

  afterAll(async () => {
    for (const i of instances) await i.stop();
    await store?.close();
    await new Promise((resolve) => platform?.server.close(resolve));
    await db?.drop();
  });

  it("fires every due SLA stage exactly once and delivers every outbox row exactly once", async () => {
    db = await throwAwayDatabase("scale");
    platform = await fakePlatform();
    // the test's own view of the database (migrates it before the instances start)
    store = new PostgresTicketStore({ url: db.url, listen: false, max: 2 });
    await store.open();
    const env = {
      DATABASE_URL: db.url,
      CLOSELOOP_LEASE_MS: String(LEASE_MS),
      CLOSELOOP_SECRET_KEY: randomBytes(32).toString("base64"),
      SINK_URL: platform.url,
      START: new Date(START).toISOString(),
    };
    for (const name of ["a", "b", "c"]) instances.push(new Instance(name, env));
    for (const i of instances) i.holder = String((await i.next("ready")).holder);

    // tickets made through every instance, numbered by the database
    const created = await Promise.all(
      instances.map((i, n) => i.ask({ t: "create", count: TICKETS_PER_INSTANCE, seed: n }, "created")),
    );
    debug("created");
    const numbers = created.flatMap((c) => c.numbers as string[]);
    expect(new Set(numbers).size).toBe(3 * TICKETS_PER_INSTANCE);

    const tickAll = (now: number) =>
      Promise.all(
        instances
          .filter((i) => i.alive)
          .map((i) => i.ask({ t: "tick", now: new Date(now).toISOString() }, "ticked")),
      );

    // age the tickets: at +2 h every first response is warned and breached at once; kill b in the middle
    let now = START + 2 * HOUR + 60_000;
    const victim = instances[1]!;
    const busy = victim.next("busy");
    const ticking = tickAll(now);
    await busy;
    await victim.kill();
    debug("killed");
    const held = await store.sql`
      SELECT (SELECT count(*) FROM sweep_leases WHERE holder = ${victim.holder} AND until > clock_timestamp())
           + (SELECT count(*) FROM outbox_leases WHERE holder = ${victim.holder} AND until > clock_timestamp())
        AS leases`;
    // it died holding work: leased tickets or recipients the others must take over when the leases lapse
    expect(Number(held[0]!.leases)).toBeGreaterThan(0);
    await Promise.race([ticking, new Promise((resolve) => setTimeout(resolve, 2000))]);

    // keep ageing with the survivors, then let them drain what is due (the victim's leases lapse meanwhile)
    for (let h = 3; h <= 80; h += 3) {
      now = START + h * HOUR;
      debug(`tick +${h} h: ${JSON.stringify(await tickAll(now))}`);
    }
    const end = now;
    for (let round = 0; round < 120; round++) {
      now += 60_000;
      await tickAll(now);
      const [left] = await store.sql`
        SELECT (SELECT count(*) FROM outbox WHERE delivered_at IS NULL) AS rows,
               (SELECT count(*) FROM tickets WHERE next_due_at <= ${new Date(end).toISOString()}) AS due`;
      debug(`drain ${round}: ${left!.rows} rows, ${left!.due} due`);
      if (Number(left!.rows) === 0 && Number(left!.due) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // every stage due by the end fired, and none twice
    const records: TicketRecord[] = [];
    for (const n of numbers) records.push((await store.get(n))!);
    let stages = 0;
    for (const r of records) {
      const keys = r.events.flatMap((e) => (e.type === "sla_stage" ? [e.key] : []));
      stages += keys.length;
      expect(new Set(keys).size, `${r.state.number} fired a stage twice`).toBe(keys.length);
      const dueByEnd = r.state.schedule.filter((s) => Date.parse(s.at) <= end).map((s) => s.key);
      for (const key of dueByEnd) expect(keys, `${r.state.number} never fired ${key}`).toContain(key);
    }
    expect(stages).toBeGreaterThanOrEqual(300);

    // every outbox row delivered, each to the platform once
    const rows = await store.sql<{ key: string; delivered: boolean }[]>`
      SELECT key, delivered_at IS NOT NULL AS delivered FROM outbox`;
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(rows.filter((r) => !r.delivered)).toEqual([]);
    const firstBy = new Map<string, string>();
    const times = new Map<string, number>();
    for (const receipt of platform.receipts)
      for (const key of receipt.keys) {
        if (!firstBy.has(key)) firstBy.set(key, receipt.instance);
        times.set(key, (times.get(key) ?? 0) + 1);
      }
    expect([...firstBy.keys()].sort()).toEqual(rows.map((r) => r.key).sort());
    // A second delivery can only be of a row the killed instance handed to the platform and died before
    // recording: the platform de-duplicates those by key (the row's idempotency key), and there are few.
    const twice = [...times].filter(([, n]) => n > 1).map(([key]) => key);
    for (const key of twice) {
      expect(firstBy.get(key), `${key} delivered twice by live instances`).toBe("b");
      expect(times.get(key)).toBe(2);
    }
    expect(twice.length).toBeLessThanOrEqual(20);
    // the survivors took the victim's share over
    expect(platform.receipts.some((r) => r.instance === "a")).toBe(true);
    expect(platform.receipts.some((r) => r.instance === "c")).toBe(true);
    console.info(
      `fault test: ${numbers.length} tickets, ${stages} stages fired, ${rows.length} outbox rows, ` +
        `${twice.length} redelivered after the kill`,
    );
  }, 110_000);
});
