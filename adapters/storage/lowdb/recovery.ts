import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Low } from "lowdb";
import { fsyncDir } from "./durable-file.ts";
import { listJournalFiles, readJournalFile } from "./journal.ts";
import type { SnapshotData } from "./snapshot.ts";
import { stateFromSnapshot } from "./snapshot.ts";
import type { HotState } from "./state.ts";

export interface Recovered {
  readonly state: HotState;
  /** Journal files holding entries newer than the snapshot, oldest first. */
  readonly files: readonly string[];
  readonly journalBytes: number;
}

async function removeTempFiles(dir: string): Promise<void> {
  const leftovers = async (d: string) =>
    (await readdir(d).catch(() => [] as string[]))
      .filter((n) => n.endsWith(".json.tmp"))
      .map((n) => join(d, n));
  const files = [...(await leftovers(dir)), ...(await leftovers(join(dir, "archive")))];
  await Promise.all(files.map((f) => rm(f, { force: true })));
}

/**
 * Loads the snapshot and replays every journal entry newer than it, in order. Journal files with nothing
 * newer (left over from a compaction that crashed before deleting them, or holding only a torn line) are removed.
 */
export async function recover(dir: string, snapshot: Low<SnapshotData>): Promise<Recovered> {
  await removeTempFiles(dir);
  await snapshot.read();
  const state = stateFromSnapshot(snapshot.data);
  const files: string[] = [];
  const stale: string[] = [];
  let journalBytes = 0;
  for (const path of await listJournalFiles(dir)) {
    const { entries, bytes } = await readJournalFile(path);
    let used = false;
    for (const entry of entries) {
      if (entry.seq <= state.seq) continue;
      state.apply(entry);
      used = true;
    }
    if (used) {
      files.push(path);
      journalBytes += bytes;
    } else stale.push(path);
  }
  if (stale.length > 0) {
    await Promise.all(stale.map((f) => rm(f, { force: true })));
    await fsyncDir(dir);
  }
  return { state, files, journalBytes };
}
