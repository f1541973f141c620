import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import { PostgresTicketStore } from "../../adapters/storage/postgres/index.ts";
import { loadMigrations } from "../../adapters/storage/postgres/migrate.ts";
import type { TicketRecord, TicketStore } from "../../core/ports.ts";
import { postgresAvailable, type ThrowAwayDatabase, throwAwayDatabase } from "../support/postgres.ts";
import {
  at,
  commented,
  deadlinesSet,
  intent,
  numberOf,
  resolved,
  sealed,
  stage,
  started,
  ticket,
} from "../support/ticket-fixtures.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";

const available = await postgresAvailable("closeloop migrate --from lowdb");
const BIN = join(import.meta.dirname, "../../bin/closeloop.js");
const FAR_FUTURE = "2999-01-01T00:00:00.000Z";

function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function listAll(store: TicketStore, includeArchived: boolean): Promise<TicketRecord[]> {
  const out: TicketRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ includeArchived, limit: 7, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

describe.skipIf(!available)("closeloop migrate", () => {
  let db: ThrowAwayDatabase | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await db?.drop();
    if (dir) await removeDir(dir);
  });

  it("applies the schema, copies an embedded store with counts and checksums verified, and re-runs safely", async () => {
    db = await throwAwayDatabase("migrate");
    dir = await makeTmpDir("migrate-source");
    const schemaOnly = await cli(["migrate"], { DATABASE_URL: db.url });
    expect(schemaOnly.code).toBe(0);
    const latest = (await loadMigrations()).length;
    expect(schemaOnly.stderr).toMatch(new RegExp(`schema at version ${latest} \\(${latest} applied now\\)`));

    const doctor = await cli(["doctor"], { DATABASE_URL: db.url });
    expect(doctor.stdout).toMatch(/ok\s+storage\s+postgres at 127\.0\.0\.1:5432\/\S+ opens \(empty\)/);
    expect(doctor.stdout).not.toMatch(/lowdb/);

    // an embedded store with open, resolved (archived) and due tickets, two periods and pending rows
    const source = new LowdbTicketStore({ dir });
    await source.open();
    for (let i = 0; i < 23; i++) {
      const period = i % 3 ? "202503" : "202504";
      const r = await source.create(
        period,
        ticket(period, {
          created: { customer: { name: `Customer ${i}`, type: "new", tags: [], phone: sealed(`h-${i}`) } },
          outbox: (n) => [intent(`new-${n}`, { ticket: n })],
          after: () =>
            i % 4 === 0
              ? [deadlinesSet(at(0), {}, [stage(`warn-${i}`, at(30 + i))])]
              : i % 4 === 1
                ? [resolved(`2025-01-${String(10 + i).padStart(2, "0")}T00:00:00.000Z`)]
                : [started(at(i))],
        }),
      );
      if (i % 5 === 0) await source.settleOutbox(`new-${r.state.number}`, { deliveredAt: at(2) });
    }
    expect(await source.archive("2025-03-01T00:00:00.000Z")).toBeGreaterThan(0);
    await source.putDoc("articles", "kb-1", 0, { title: "退款" });
    await source.putDoc("articles", "kb-1", 1, { title: "退款流程" });
    await source.putDoc("customers", "c-1", 0, { name: "Customer 1" });
    const before = { active: await listAll(source, false), all: await listAll(source, true) };
    const pending = await source.dueOutbox(FAR_FUTURE, 100);
    await source.close();

    const first = await cli(["migrate", "--from", "lowdb", "--data-dir", dir, "--to", db.url]);
    expect(first.stderr).toMatch(/23 copied, 0 updated, 0 already there/);
    expect(first.stderr).toMatch(/checksums: all 23 tickets match/);
    expect(first.stderr).toMatch(/docs: 2 copied/);
    expect(first.code).toBe(0);

    const target = new PostgresTicketStore({ url: db.url, listen: false });
    await target.open();
    try {
      expect(await listAll(target, false)).toEqual(before.active);
      expect(await listAll(target, true)).toEqual(before.all);
      expect(await target.dueOutbox(FAR_FUTURE, 100)).toEqual(pending);
      expect(await target.getDoc("articles", "kb-1")).toMatchObject({ rev: 2, data: { title: "退款流程" } });
      expect((await target.listDocs("customers", { limit: 5 })).items.map((d) => d.id)).toEqual(["c-1"]);
      expect((await target.dueTickets(at(100), 50)).length).toBe(6);
      expect((await target.list({ phoneHash: "h-7", limit: 5 })).items.map((r) => r.state.number)).toEqual([
        before.all.find((r) => r.state.customer.name === "Customer 7")!.state.number,
      ]);
      // numbering carries on after the copied tickets
      expect((await target.create("202503", ticket("202503"))).state.number).toBe(numberOf("202503", 16));
    } finally {
      await target.close();
    }

    // the source moves on; a second run copies only what changed
    const again = new LowdbTicketStore({ dir });
    await again.open();
    const changed = before.active.find((r) => r.state.status === "in_progress")!;
    await again.append(changed.state.number, changed.state.seq, [commented(at(99), "one more thing")]);
    await again.close();
    const second = await cli(["migrate", "--from", "lowdb", "--data-dir", dir, "--to", db.url]);
    expect(second.stderr).toMatch(/0 copied, 1 updated, 22 already there/);
    expect(second.stderr).toMatch(/checksums: all 23 tickets match/);
    expect(second.code).toBe(0);
  }, 180_000);
});
