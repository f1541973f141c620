import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import { configSchema } from "../../core/config/schema.ts";
import { buildCloseloop, type Closeloop } from "../../main.ts";
import { FakeSink } from "../support/fake-sink.ts";
import { ManualClock } from "../support/manual-clock.ts";

// Monday 2026-11-23 10:00 in Shanghai.
export const MONDAY_10 = "2026-11-23T02:00:00.000Z";
export const LOOPBACK = "127.0.0.1";

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
  readonly json: any;
}

export interface Harness {
  readonly cl: Closeloop;
  readonly clock: ManualClock;
  readonly dataDir: string;
  readonly logs: string[];
  /** A request from `from` (default loopback, where sandbox mode lets X-Closeloop-As pick the person). */
  request(
    method: string,
    path: string,
    opts?: {
      as?: string;
      json?: unknown;
      form?: Record<string, string>;
      from?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Answer>;
  /** Every byte the embedded store wrote, to look for secrets that must not be there. */
  storedBytes(): string;
  close(): Promise<void>;
}

/** A closeloop on a manual clock, on the embedded store, or on PostgreSQL at `databaseUrl`. */
export async function harness(config: Record<string, unknown> = {}, databaseUrl?: string): Promise<Harness> {
  const clock = new ManualClock(MONDAY_10);
  const dataDir = mkdtempSync(join(tmpdir(), "closeloop-customer-"));
  const logs: string[] = [];
  // buildCloseloop picks the store from DATABASE_URL, as a deployment does.
  const saved = process.env.DATABASE_URL;
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  let cl: Closeloop;
  try {
    cl = await buildCloseloop({
      config: configSchema.parse(config),
      env: readEnvironment({ CLOSELOOP_DATA_DIR: dataDir }),
      logger: createLogger({ destination: { write: (l: string) => logs.push(l) } }),
      clock,
      sink: new FakeSink(clock),
    });
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
  const request: Harness["request"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.as) headers["x-closeloop-as"] = o.as;
    let body: string | undefined;
    if (o.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(o.json);
    } else if (o.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(o.form).toString();
    }
    const res = await cl.app.request(
      path,
      { method, headers, body, redirect: "manual" },
      {
        incoming: { socket: { remoteAddress: o.from ?? LOOPBACK } },
      },
    );
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };
  const storedBytes = () => {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else out.push(readFileSync(p, "latin1"));
      }
    };
    walk(dataDir);
    return out.join("\n");
  };
  return {
    cl,
    clock,
    dataDir,
    logs,
    request,
    storedBytes,
    async close() {
      await cl.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A ticket in returns owned by eng-wu, taken by agent-li: resolved and confirmed, ready for its survey. */
export async function confirmedTicket(
  h: Harness,
  description = "换货：收到的 X200 外壳破损",
): Promise<string> {
  const as = (actor: string) => ({ actor, via: "api" as const });
  let t = await h.cl.service.create(as("agent-li"), {
    description,
    customer: { name: "张先生", phone: "13800138000" },
    department: "returns",
    owner: "eng-wu",
  });
  const n = t.state.number;
  ({ record: t } = await h.cl.service.execute(
    n,
    "resolve",
    { version: t.state.version, solution: "已换新，吴婷上门" },
    as("eng-wu"),
  ));
  await h.cl.service.execute(n, "confirm", { version: t.state.version, result: "confirmed" }, as("agent-li"));
  return n;
}

/** The path and query of an absolute link an API answer gave. */
export const pathOf = (url: string): string => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/** The form token a served page carries. */
export const formTokenOf = (html: string): string => /name="form" value="([^"]+)"/.exec(html)?.[1] ?? "";
