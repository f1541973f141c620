import postgres from "postgres";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { migrate, PostgresTicketStore } from "../../adapters/storage/postgres/index.ts";
import { loadMigrations } from "../../adapters/storage/postgres/migrate.ts";
import type { TicketRecord } from "../../core/ports.ts";
import { postgresAvailable, type ThrowAwayDatabase, throwAwayDatabase } from "../support/postgres.ts";
import { at, deadlinesSet, intent, numberOf, stage, started, ticket } from "../support/ticket-fixtures.ts";

const available = await postgresAvailable("several instances on one PostgreSQL database");
const P = "202503";
const FAR_FUTURE = "2999-01-01T00:00:00.000Z";

describe.skipIf(!available)("PostgreSQL store: several instances on one database", () => {
  let db: ThrowAwayDatabase | undefined;
  let schemas = 0;
  const open: PostgresTicketStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** `count` stores (instances) on one fresh schema. */
  async function instances(count: number): Promise<PostgresTicketStore[]> {
    db ??= await throwAwayDatabase("instances");
    const schema = `inst_${++schemas}`;
    const out: PostgresTicketStore[] = [];
    for (let i = 0; i < count; i++) {
      const s = new PostgresTicketStore({ url: db.url, schema, max: 4 });
      await s.open();
      open.push(s);
      out.push(s);
    }
    return out;
  }

  /** The holder's leases run out, as if it had died a lease period ago. */
  async function lapse(store: PostgresTicketStore, table: "outbox_leases" | "sweep_leases") {
    await store.sql.unsafe(`UPDATE ${table} SET until = now() - interval '1 second' WHERE holder = $1`, [
      store.instanceId,
    ]);
  }

  it("applies each migration once when several instances migrate at the same time", async () => {
    db ??= await throwAwayDatabase("instances");
    const schema = `inst_${++schemas}`;
    const pools = Array.from({ length: 3 }, () =>
      postgres(db!.url, { max: 1, onnotice: () => {}, connection: { search_path: `${schema}, public` } }),
    );
    try {
      await pools[0]!.unsafe(`CREATE SCHEMA ${schema}`);
      const results = await Promise.all(pools.map((sql) => migrate(sql)));
      const all = (await loadMigrations()).length;
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, all]);
      const rows = await pools[0]!`SELECT version FROM schema_migrations`;
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: all }, (_, i) => i + 1));
      expect((await migrate(pools[1]!)).applied).toEqual([]);
    } finally {
      for (const sql of pools) await sql.end();
    }
  });

  it("numbers tickets from the database: concurrent creates on two instances never share a number", async () => {
    const [a, b] = await instances(2);
    const made = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a! : b!).create(P, ticket(P))),
    );
    const seqs = made.map((r) => Number(r.state.number.slice(-4))).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it("lets exactly one instance win a write at the same seq", async () => {
    const [a, b] = await instances(2);
    const { state } = await a!.create(P, ticket(P));
    const results = await Promise.allSettled([
      a!.append(state.number, 1, [started(at(1))], [intent("from-a")]),
      b!.append(state.number, 1, [started(at(2))], [intent("from-b")]),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await b!.dueOutbox(FAR_FUTURE, 10)).map((r) => r.key)).toHaveLength(1);
  });

  it("hands a recipient's outbox rows to one instance at a time, and to another when its lease lapses", async () => {
    const [a, b] = await instances(2);
    await a!.create(
      P,
      ticket(P, {
        outbox: () => [
          intent("bob-1", { recipient: "bob" }),
          intent("bob-2", { recipient: "bob" }),
          intent("carol-1", { recipient: "carol" }),
        ],
      }),
    );
    const first = await a!.claimOutbox(FAR_FUTURE, 2);
    expect(first.map((r) => r.key)).toEqual(["bob-1", "bob-2"]);
    // bob is a's: b gets only carol, and a claiming again gets bob's rows again (its lease renewed)
    expect((await b!.claimOutbox(FAR_FUTURE, 10)).map((r) => r.key)).toEqual(["carol-1"]);
    expect((await a!.claimOutbox(FAR_FUTURE, 10)).map((r) => r.key)).toEqual(["bob-1", "bob-2"]);
    await a!.settleOutbox("bob-1", { deliveredAt: at(1) });
    await lapse(a!, "outbox_leases");
    // a "died": its recipient passes to b, with only what is still undelivered
    expect((await b!.claimOutbox(FAR_FUTURE, 10)).map((r) => r.key)).toEqual(["bob-2", "carol-1"]);
    expect(await a!.claimOutbox(FAR_FUTURE, 10)).toEqual([]);
  });

  it("hands a due ticket to one sweeping instance at a time, and to another when its lease lapses", async () => {
    const [a, b] = await instances(2);
    const made: TicketRecord[] = [];
    for (const minute of [10, 20, 30])
      made.push(
        await a!.create(
          P,
          ticket(P, { after: () => [deadlinesSet(at(0), {}, [stage(`warn-${minute}`, at(minute))])] }),
        ),
      );
    const numbers = made.map((r) => r.state.number);
    expect((await a!.claimDueTickets(at(25), 1)).map((r) => r.state.number)).toEqual([numbers[0]]);
    expect((await b!.claimDueTickets(at(25), 10)).map((r) => r.state.number)).toEqual([numbers[1]]);
    expect(await a!.claimDueTickets(at(25), 10)).toHaveLength(1);
    await lapse(b!, "sweep_leases");
    expect((await a!.claimDueTickets(at(35), 10)).map((r) => r.state.number)).toEqual(numbers);
    // the plain read still sees every due ticket, leased or not
    expect(await b!.dueTickets(at(35), 10)).toHaveLength(3);
  });

  it("tells every instance's listeners of a write made through another (LISTEN/NOTIFY)", async () => {
    const [a, b] = await instances(2);
    const heard: (readonly TicketRecord[])[] = [];
    let wake: () => void = () => {};
    b!.onChange((changed) => {
      heard.push(changed);
      wake();
    });
    const next = () =>
      new Promise<void>((resolve) => {
        wake = resolve;
      });
    let arrived = next();
    const created = await a!.create(P, ticket(P, { outbox: () => [intent("hello")] }));
    await arrived;
    expect(heard.at(-1)).toEqual([created]);
    arrived = next();
    const changed = await a!.append(created.state.number, 1, [started(at(3))]);
    await arrived;
    expect(heard.at(-1)).toEqual([changed]);
    arrived = next();
    expect(await a!.enqueue([intent("inbound-1")])).toBe(1);
    await arrived;
    expect(heard.at(-1)).toEqual([]);
    expect(heard.map((c) => c.map((r) => r.state.seq))).toEqual([[1], [2], []]);
    expect(numberOf(P, 1)).toBe(created.state.number);
  });
});
