import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import { seededRandom } from "../support/random.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";
import { digest } from "./fixtures/crash-shared.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const WRITER = join("test", "contract", "fixtures", "crash-writer.ts");
const KILLS = 50;

interface Ack {
  readonly seq: number;
  readonly digest: string;
}

interface Run {
  readonly acks: number;
  readonly ready: boolean;
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly stderr: string;
}

/** Starts the writer, kills it with SIGKILL at a random moment, records every acknowledged write. */
function runOnce(dir: string, rand: () => number, acked: Map<string, Ack>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    let stderr = "";
    let acks = 0;
    let ready = false;
    const kill = () => child.kill("SIGKILL");
    // One run in eight dies before the store is open (inside recovery), timed from the writer's own word that
    // it is opening (a fixed delay from spawn lands after opening on a fast machine); the rest while writing.
    const early = rand() < 0.125;
    const earlyAfterMs = rand() * 20;
    const timer = setTimeout(kill, 20_000);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "OPENING") {
          if (early) setTimeout(kill, earlyAfterMs);
          continue;
        }
        if (line === "READY") {
          ready = true;
          if (!early) {
            clearTimeout(timer);
            setTimeout(kill, 30 + rand() * 600);
          }
          continue;
        }
        const [tag, number, seq, hash] = line.split(" ");
        if (tag !== "A" || !number || !seq || !hash) continue;
        acks += 1;
        const known = acked.get(number);
        if (!known || known.seq < Number(seq)) acked.set(number, { seq: Number(seq), digest: hash });
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    // "close": the process is reaped and its output fully read, so its pid is dead when the lock is checked
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ acks, ready, signal, code, stderr });
    });
  });
}

/** Every acknowledged change is there: the ticket exists, at least at the acknowledged seq, with the same events. */
async function check(store: LowdbTicketStore, acked: ReadonlyMap<string, Ack>): Promise<string[]> {
  const problems: string[] = [];
  for (const [number, ack] of acked) {
    const record = await store.get(number);
    if (!record) problems.push(`${number}: missing (acknowledged at seq ${ack.seq})`);
    else if (record.state.seq < ack.seq) problems.push(`${number}: at seq ${record.state.seq} < ${ack.seq}`);
    else if (digest(record.events.slice(0, ack.seq)) !== ack.digest)
      problems.push(`${number}: events differ`);
  }
  return problems;
}

describe("lowdb store under SIGKILL", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTmpDir("lowdb-crash");
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it(`keeps every acknowledged write across ${KILLS} kills on the same data`, {
    timeout: 150_000,
  }, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const rand = seededRandom(seed);
    const acked = new Map<string, Ack>();
    const snapshotSeqs = new Set<number>();
    let killedEarly = 0;
    let maxArchived = 0;
    for (let i = 0; i < KILLS; i++) {
      const run = await runOnce(dir, rand, acked);
      const where = `seed ${seed}, run ${i + 1}`;
      expect(run.signal, `${where}: the writer stopped by itself (code ${run.code}):\n${run.stderr}`).toBe(
        "SIGKILL",
      );
      if (!run.ready) killedEarly += 1;

      const store = new LowdbTicketStore({ dir });
      await store.open();
      try {
        expect(await check(store, acked), where).toEqual([]);
        const stats = store.stats();
        snapshotSeqs.add(stats.snapshotSeq);
        maxArchived = Math.max(maxArchived, stats.archived);
      } finally {
        await store.close();
      }
    }

    // numbers are unique: listing everything shows each once, and holds every acknowledged ticket
    const store = new LowdbTicketStore({ dir });
    await store.open();
    try {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 200, includeArchived: true, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((r) => r.state.number));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      const listed = new Set(seen);
      expect([...acked.keys()].filter((n) => !listed.has(n))).toEqual([]);
      expect(store.stats().hot + store.stats().archived).toBe(seen.length);
    } finally {
      await store.close();
    }
    // the runs did what they are meant to: plenty of writes, compactions and archiving between kills
    expect(acked.size).toBeGreaterThan(500);
    expect(snapshotSeqs.size).toBeGreaterThan(KILLS / 4);
    expect(maxArchived).toBeGreaterThan(0);
    expect(killedEarly).toBeGreaterThan(0);
    expect((await readdir(join(dir, "archive"))).some((n) => n.endsWith(".json"))).toBe(true);
  });
});
