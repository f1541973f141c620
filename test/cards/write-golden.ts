/**
 * `npm run cards:golden`: rewrites test/cards/golden/** from the current renderers. Run it on purpose, then
 * review the diff (git diff test/cards/golden) before committing: the golden tests fail on any change.
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { goldenFiles } from "./support/golden.ts";

const dir = join(dirname(fileURLToPath(import.meta.url)), "golden");
const files = goldenFiles();
await rm(dir, { recursive: true, force: true });
for (const [path, content] of files) {
  const file = join(dir, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
}
const count = (await readdir(dir, { recursive: true })).filter((f) => f.includes(".golden.")).length;
console.log(`wrote ${count} golden files to ${relative(process.cwd(), dir)}`);
