import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { goldenFiles } from "./support/golden.ts";

const dir = join(dirname(fileURLToPath(import.meta.url)), "golden");
const files = goldenFiles();

describe("golden files: every card × platform × locale", () => {
  it("covers 16 cards × 5 outputs × 2 locales, and nothing stale is left on disk", async () => {
    expect(files.size).toBe(16 * 5 * 2);
    const onDisk = (await readdir(dir, { recursive: true }))
      .filter((f) => f.includes(".golden."))
      .map((f) => f.split("\\").join("/"));
    expect(onDisk.sort()).toEqual([...files.keys()].sort());
  });

  for (const [path, content] of files) {
    it(path, async () => {
      const golden = await readFile(join(dir, path), "utf8").catch(() => undefined);
      // On a difference: look at it, and if it is intended run `npm run cards:golden` and review the diff.
      expect(golden, `missing golden ${path}: run npm run cards:golden`).toBeDefined();
      expect(content).toBe(golden);
    });
  }
});
