import { randomBytes } from "node:crypto";
import { link, open, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { StoreLockedError } from "./errors.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function holder(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Temp files of lock attempts by processes killed half-way. */
async function removeDeadTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const pid = /^LOCK\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1];
    if (pid !== undefined && !alive(Number(pid))) await rm(join(dir, name), { force: true });
  }
}

/**
 * Takes the data directory's LOCK file, holding this process's pid. The file is written whole under a
 * temporary name and linked into place, so a lock is never seen half-written; a lock whose process is
 * gone is taken over. Returns the release function.
 */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, "LOCK");
  const mine = join(dir, `LOCK.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(mine, "w");
  try {
    await fh.writeFile(`${process.pid}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(mine, path);
        await removeDeadTemps(dir);
        return async () => {
          if ((await holder(path)) === process.pid) await rm(path, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const pid = await holder(path);
      if (pid !== undefined && (pid === process.pid || alive(pid))) throw new StoreLockedError(dir, pid);
      // stale: its process is gone. Another process taking it over at the same moment is a narrow race
      // this cannot close without OS file locks, which Node does not offer.
      await rm(path, { force: true });
    }
    throw new Error(`could not take the lock of ${dir}: it keeps changing hands`);
  } finally {
    await rm(mine, { force: true });
  }
}
