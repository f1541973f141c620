import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory under the OS temp dir. */
export const makeTmpDir = (name: string): Promise<string> => mkdtemp(join(tmpdir(), `closeloop-${name}-`));

export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });
