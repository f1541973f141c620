import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export interface Asset {
  readonly body: Uint8Array;
  readonly type: string;
}

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

/** The page scripts, bundled from client/*.ts by esbuild once per process. */
const ENTRIES = {
  "board.js": "board.ts",
  "stats.js": "stats.ts",
  "sign-in.js": "sign-in.ts",
  "kb.js": "kb.ts",
  "review.js": "review.ts",
} as const;

/** Vendor bundles served as their packages ship them. */
const VENDOR: Record<string, string> = {
  "echarts.min.js": "echarts/dist/echarts.min.js",
  "teams.min.js": "@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js",
};

async function bundle(): Promise<Map<string, Asset>> {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: Object.values(ENTRIES).map((f) => join(here, "client", f)),
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    outdir: "/out",
    logLevel: "silent",
    legalComments: "none",
  });
  const files = new Map<string, Asset>();
  for (const out of result.outputFiles) {
    const name = out.path.slice("/out/".length);
    files.set(name, { body: out.contents, type: JS });
  }
  files.set("board.css", { body: await readFile(join(here, "client", "board.css")), type: CSS });
  return files;
}

/** Bundles on first use (or when warmed at start) and keeps the result in memory. */
export class BoardAssets {
  #bundled: Promise<Map<string, Asset>> | undefined;
  readonly #vendor = new Map<string, Promise<Asset>>();

  warm(onError: (err: unknown) => void): void {
    this.#load().catch(onError);
  }

  #load(): Promise<Map<string, Asset>> {
    this.#bundled ??= bundle().catch((err) => {
      this.#bundled = undefined;
      throw err;
    });
    return this.#bundled;
  }

  async get(name: string): Promise<Asset | undefined> {
    const vendor = VENDOR[name];
    if (vendor) {
      let asset = this.#vendor.get(name);
      if (!asset) {
        asset = readFile(require.resolve(vendor)).then((body) => ({ body, type: JS }));
        this.#vendor.set(name, asset);
      }
      return asset;
    }
    return (await this.#load()).get(name);
  }
}
