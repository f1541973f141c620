/**
 * The board at 200 and 2,000 open tickets: the board API (GET /api/v1/board as a signed-in head, tiles drawn
 * for that person with business-time SLA badges) and the first render in headless Chromium (navigation to
 * tiles on screen), each beside a baseline measured in the same run: bare hono serving the same JSON bytes,
 * and a bare page that fetches that JSON from it and writes one line.
 * Run: npm run bench:board   (BENCH_SIZES=200,2000 to pick sizes)
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve as serveNode } from "@hono/node-server";
import { Hono } from "hono";
import { readEnvironment } from "../adapters/config/environment.ts";
import { createLogger } from "../adapters/log/logger.ts";
import { configSchema } from "../core/config/schema.ts";
import { serve } from "../main.ts";
import { CHROMIUM, launchBrowser } from "../test/support/browser.ts";
import { type Figures, measure, ms, table } from "./support/measure.ts";

const SIZES = (process.env.BENCH_SIZES ?? "200,2000").split(",").map(Number);
const API_OPS = 30;
const RENDERS = 5;
const DEPARTMENTS = ["tech", "returns", "complaints", "logistics", "billing"];
const PRIORITIES = ["urgent", "normal", "low"] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bareServer(body: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Hono();
  app.get("/data", (c) => c.body(body, 200, { "content-type": "application/json" }));
  app.get("/", (c) =>
    c.html(
      `<!doctype html><html><body><p id="out">…</p><script type="module">const r = await fetch("/data"); const j = await r.json(); document.getElementById("out").textContent = String(j.columns.pending.length + j.columns.in_progress.length); document.documentElement.dataset.ready = "true";</script></body></html>`,
    ),
  );
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Row {
  size: number;
  what: string;
  impl: string;
  p50: string;
  p99: string;
  extra: string;
}
const rows: Row[] = [];
const apiRow = (size: number, impl: string, f: Figures, bytes: number) =>
  rows.push({
    size,
    what: "board API",
    impl,
    p50: ms(f.p50),
    p99: ms(f.p99),
    extra: `${(bytes / 1024).toFixed(0)} KiB`,
  });

for (const size of SIZES) {
  const dataDir = mkdtempSync(join(tmpdir(), "closeloop-bench-board-"));
  const served = await serve(
    {
      config: configSchema.parse({}),
      env: readEnvironment({ PORT: "0", CLOSELOOP_DATA_DIR: dataDir }),
      logger: createLogger({ destination: { write: () => {} }, level: "error" }),
    },
    { seedDemo: false, hostname: "127.0.0.1" },
  );
  const { service } = served.closeloop;
  const t0 = performance.now();
  await measure(size, 64, async (i) => {
    await service.create(
      { actor: "agent-li", via: "api" },
      {
        description: `客户反映第 ${i} 号订单的设备无法开机，已尝试更换插座。Device ${i} will not power on.`,
        customer: { name: `客户${i}`, type: i % 10 === 0 ? "vip" : "returning" },
        department: DEPARTMENTS[i % DEPARTMENTS.length],
        priority: PRIORITIES[i % 3],
      },
    );
  });
  process.stderr.write(`seeded ${size} open tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  const signIn = await fetch(`${served.url}/board/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ provider: "sandbox", code: "admin" }),
  });
  const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
  let body = "";
  const api = await measure(API_OPS, 1, async () => {
    body = await (await fetch(`${served.url}/api/v1/board`, { headers: { cookie } })).text();
  });
  const tiles = JSON.parse(body).columns;
  if (tiles.pending.length + tiles.in_progress.length !== size)
    throw new Error("board did not show every ticket");
  apiRow(size, "closeloop /api/v1/board", api, body.length);
  const bare = await bareServer(body);
  const baseline = await measure(API_OPS, 1, async () => {
    await (await fetch(`${bare.url}/data`)).text();
  });
  apiRow(size, "baseline: bare hono, same JSON", baseline, body.length);

  if (existsSync(CHROMIUM)) {
    const browser = await launchBrowser();
    const ctx = await browser.newContext();
    const [name, value] = cookie.split("=");
    await ctx.addCookies([{ name: name!, value: value!, url: served.url }]);
    const render = async (url: string) => {
      const times: number[] = [];
      for (let i = 0; i < RENDERS; i++) {
        const page = await ctx.newPage();
        const start = performance.now();
        await page.goto(url);
        await page.waitForSelector("html[data-ready='true']");
        times.push(performance.now() - start);
        await page.close();
      }
      return times;
    };
    await render(`${served.url}/board`); // bundle and caches warm
    const board = await render(`${served.url}/board`);
    const floor = await render(bare.url);
    rows.push({
      size,
      what: "first render",
      impl: "closeloop /board",
      p50: ms(median(board)),
      p99: ms(Math.max(...board)),
      extra: `${RENDERS} loads`,
    });
    rows.push({
      size,
      what: "first render",
      impl: "baseline: bare page, same JSON",
      p50: ms(median(floor)),
      p99: ms(Math.max(...floor)),
      extra: `${RENDERS} loads`,
    });
    await browser.close();
  } else {
    process.stderr.write(`no chromium at ${CHROMIUM}: first render not measured\n`);
  }
  await bare.close();
  await served.close();
  rmSync(dataDir, { recursive: true, force: true });
}

process.stdout.write(
  `${table(
    ["open tickets", "what", "implementation", "p50 ms", "max/p99 ms", "note"],
    rows.map((r) => [String(r.size), r.what, r.impl, r.p50, r.p99, r.extra]),
  )}\n`,
);
