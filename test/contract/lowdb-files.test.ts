import { spawn } from "node:child_process";
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LowdbStoreOptions } from "../../adapters/storage/lowdb/index.ts";
import {
  LowdbTicketStore,
  StoreClosedError,
  StoreCorruptError,
  StoreFailedError,
  StoreLockedError,
} from "../../adapters/storage/lowdb/index.ts";
import { journalFileName } from "../../adapters/storage/lowdb/journal.ts";
import { jsonChunks } from "../../adapters/storage/lowdb/json-chunks.ts";
import type { Clock } from "../../core/ports.ts";
import { at, commented, intent, resolved, started, ticket } from "../support/ticket-fixtures.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";

const P = "202503";
const FAR_FUTURE = "2999-01-01T00:00:00.000Z";

describe("lowdb store: files and failures", () => {
  let dir: string;
  const opened: LowdbTicketStore[] = [];

  async function open(options: Omit<LowdbStoreOptions, "dir"> = {}): Promise<LowdbTicketStore> {
    const store = new LowdbTicketStore({ dir, ...options });
    await store.open();
    opened.push(store);
    return store;
  }

  const journalFiles = async () => (await readdir(dir)).filter((n) => n.startsWith("journal-")).sort();

  beforeEach(async () => {
    dir = await makeTmpDir("lowdb-files");
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await removeDir(dir);
  });

  it("groups 200 concurrent creates into one journal append and fsync", async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 200 }, () => store.create(P, ticket(P))));
    const { flushes, fsyncs, seq } = store.stats();
    expect(seq).toBe(200);
    expect(flushes).toBe(1);
    // one fdatasync of the journal, one fsync of the directory for the new journal file
    expect(fsyncs).toBe(2);
    const lines = (await readFile(join(dir, (await journalFiles())[0]!), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(200);
  });

  it("compacts into a snapshot that records its last journal entry, then drops covered journals", async () => {
    const store = await open({ compactAfterBytes: 8 * 1024 });
    for (let i = 0; i < 60; i++) await store.create(P, ticket(P));
    expect(store.stats().compactions).toBeGreaterThan(0);
    await store.close();
    const snapshot = JSON.parse(await readFile(join(dir, "snapshot.json"), "utf8")) as {
      lastSeq: number;
      tickets: Record<string, unknown>;
    };
    expect(snapshot.lastSeq).toBeGreaterThan(0);
    expect(Object.keys(snapshot.tickets)).toHaveLength(snapshot.lastSeq);
    // what is left of the journal holds only what the snapshot lacks, and together they hold everything
    let journalLines = 0;
    for (const name of await journalFiles()) {
      const lines = (await readFile(join(dir, name), "utf8")).trim().split("\n");
      journalLines += lines.length;
      expect((JSON.parse(lines.at(-1)!) as { seq: number }).seq).toBeGreaterThan(snapshot.lastSeq);
    }
    expect(journalLines).toBeLessThan(60);
    const reopened = await open({ compactAfterBytes: 8 * 1024 });
    expect(reopened.stats()).toMatchObject({ hot: 60, seq: 60, snapshotSeq: snapshot.lastSeq });
    expect((await reopened.create(P, ticket(P))).state.number).toBe("T2025030061");
  });

  it("counts compactions while running and keeps the state identical across them", async () => {
    const store = await open({ compactAfterBytes: 4 * 1024 });
    const { state } = await store.create(P, ticket(P));
    let seq = 1;
    for (let i = 0; i < 40; i++) {
      await store.append(state.number, seq, [commented(at(i), `note ${i}`)]);
      seq += 1;
    }
    expect(store.stats().compactions).toBeGreaterThan(0);
    const before = await store.get(state.number);
    await store.close();
    const again = await open({ compactAfterBytes: 4 * 1024 });
    expect(await again.get(state.number)).toEqual(before);
  });

  it("ignores a torn final journal line and keeps writing after it", async () => {
    let store = await open();
    const a = await store.create(P, ticket(P));
    await store.close();
    const [name] = await journalFiles();
    await appendFile(join(dir, name!), '{"seq":2,"ops":[{"t":"counter","per');
    store = await open();
    expect(await store.get(a.state.number)).toEqual(a);
    const b = await store.create(P, ticket(P));
    expect(b.state.number).toBe("T2025030002");
    await store.close();
    store = await open();
    expect(await store.get(b.state.number)).toEqual(b);
    expect(store.stats().seq).toBe(2);
  });

  it("refuses to open over a damaged line that is not the last", async () => {
    const store = await open();
    await store.create(P, ticket(P));
    await store.close();
    const [name] = await journalFiles();
    await appendFile(join(dir, name!), "garbage\n");
    await appendFile(join(dir, name!), `${JSON.stringify({ seq: 3, ops: [] })}\n`);
    await expect(new LowdbTicketStore({ dir }).open()).rejects.toBeInstanceOf(StoreCorruptError);
  });

  it("refuses a second open of the same directory while the first is open", async () => {
    await open();
    const error = await new LowdbTicketStore({ dir }).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as Error).message).toMatch(/already open in this process/);
  });

  it("refuses a directory locked by another live process", async () => {
    await writeFile(join(dir, "LOCK"), "1\n"); // pid 1 is always alive
    const error = await new LowdbTicketStore({ dir }).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreLockedError);
    expect((error as Error).message).toMatch(/in use by process 1/);
  });

  it("takes over a lock whose process is gone, and releases it on close", async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    const pid = child.pid!;
    await new Promise((resolve) => child.on("exit", resolve));
    await writeFile(join(dir, "LOCK"), `${pid}\n`);
    await writeFile(join(dir, `LOCK.${pid}.0badcafe.tmp`), `${pid}\n`); // it died mid-attempt
    const store = await open();
    expect(await readFile(join(dir, "LOCK"), "utf8")).toBe(`${process.pid}\n`);
    expect((await readdir(dir)).filter((n) => n.startsWith("LOCK."))).toEqual([]);
    await store.close();
    await expect(readFile(join(dir, "LOCK"), "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("refuses every later write once a write could not be made durable", async () => {
    const store = await open();
    // the first write's journal file cannot be created: a directory is in its place
    await mkdir(join(dir, journalFileName(1)));
    const first = await store.create(P, ticket(P)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(StoreFailedError);
    const second = await store.create(P, ticket(P)).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(StoreFailedError);
    expect((second as Error).message).toMatch(/refuses further writes/);
    await expect(store.append("T2025030001", 1, [started(at(1))])).rejects.toBeInstanceOf(StoreFailedError);
    await expect(store.archive(FAR_FUTURE)).rejects.toBeInstanceOf(StoreFailedError);
    await store.close();
    await rm(join(dir, journalFileName(1)), { recursive: true });
    const fresh = await open();
    expect(await fresh.get("T2025030001")).toBeUndefined();
    expect((await fresh.create(P, ticket(P))).state.number).toBe("T2025030001");
  });

  it("refuses use after close", async () => {
    const store = await open();
    await store.close();
    await expect(store.create(P, ticket(P))).rejects.toBeInstanceOf(StoreClosedError);
    await expect(store.get("T2025030001")).rejects.toBeInstanceOf(StoreClosedError);
  });

  it("reads archive files only when asked for archived tickets", async () => {
    let store = await open();
    const old = await store.create(P, ticket(P, { after: () => [resolved("2025-01-10T00:00:00.000Z")] }));
    const hot = await store.create(P, ticket(P));
    expect(await store.archive("2025-02-01T00:00:00.000Z")).toBe(1);
    await store.close();
    await writeFile(join(dir, "archive", "2025-01.json"), "{ not json");
    store = await open();
    expect(await store.get(hot.state.number)).toEqual(hot);
    expect((await store.list({ limit: 10 })).items).toEqual([hot]);
    await expect(store.get(old.state.number)).rejects.toThrow(/not valid JSON/);
    await expect(store.list({ limit: 10, includeArchived: true })).rejects.toThrow(/not valid JSON/);
  });

  it("ignores an archive file's copy of a ticket the hot side still holds (a crash between the two steps)", async () => {
    let store = await open();
    const t = await store.create(P, ticket(P, { after: () => [resolved("2025-01-10T00:00:00.000Z")] }));
    await store.close();
    const stale = [...t.events, commented(at(1), "never happened")];
    await mkdir(join(dir, "archive"));
    await writeFile(
      join(dir, "archive", "2025-01.json"),
      JSON.stringify({ format: 1, tickets: { [t.state.number]: stale } }),
    );
    store = await open();
    expect(await store.get(t.state.number)).toEqual(t);
    expect((await store.list({ limit: 10, includeArchived: true })).items).toEqual([t]);
    expect(await store.archive("2025-02-01T00:00:00.000Z")).toBe(1);
    expect(await store.get(t.state.number)).toEqual(t);
    await store.close();
    store = await open();
    expect(await store.get(t.state.number)).toEqual(t);
  });

  it("caps the page size and rejects a malformed cursor", async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 230 }, () => store.create(P, ticket(P))));
    const page = await store.list({ limit: 10_000 });
    expect(page.items).toHaveLength(200);
    expect(page.nextCursor).toBeDefined();
    const rest = await store.list({ limit: 10_000, cursor: page.nextCursor! });
    expect(rest.items).toHaveLength(30);
    await expect(store.list({ limit: 10, cursor: "not-a-cursor" })).rejects.toThrow(/cursor/);
  });

  it("prunes delivered outbox rows after the retention period", async () => {
    let now = Date.parse("2025-03-01T00:00:00.000Z");
    const clock: Clock = { now: () => new Date(now) };
    const store = await open({ clock });
    const { state } = await store.create(P, ticket(P, { outbox: () => [intent("k1"), intent("k2")] }));
    await store.settleOutbox("k1", { deliveredAt: new Date(now).toISOString() });
    expect(store.stats().outbox).toBe(2);
    now += 8 * 24 * 60 * 60 * 1000;
    await store.settleOutbox("k2", { retryAt: new Date(now).toISOString(), error: "busy" });
    expect(store.stats().outbox).toBe(1);
    // its key is forgotten with it: the same key is a new row now
    await store.append(state.number, 1, [started(at(1))], [intent("k1")]);
    expect((await store.dueOutbox(FAR_FUTURE, 10)).map((r) => r.key).sort()).toEqual(["k1", "k2"]);
  });

  it("serialises in chunks exactly as JSON.stringify", () => {
    const value = {
      a: [1, undefined, { b: undefined, c: "x" }],
      d: { e: { f: [1, 2] }, g: undefined },
      h: null,
      'we"ird': "q",
    };
    expect([...jsonChunks(value, 2)].join("")).toBe(JSON.stringify(value));
    expect([...jsonChunks(value, 0)].join("")).toBe(JSON.stringify(value));
    expect([...jsonChunks([], 2)].join("")).toBe("[]");
    expect([...jsonChunks({}, 2)].join("")).toBe("{}");
  });
});
