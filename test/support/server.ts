import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import type { Config } from "../../core/config/schema.ts";
import { configSchema } from "../../core/config/schema.ts";
import type { Clock } from "../../core/ports.ts";
import { type Served, serve } from "../../main.ts";

export interface TestServer extends Served {
  readonly dataDir: string;
  readonly logs: string[];
  /** fetch against the server with JSON helpers. */
  call(
    method: string,
    path: string,
    opts?: { body?: unknown; as?: string; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
    body: any;
    text: string;
  }>;
  stop(): Promise<void>;
}

export async function startTestServer(
  opts: {
    env?: Record<string, string>;
    config?: Partial<Config> & Record<string, unknown>;
    clock?: Clock;
    seedDemo?: boolean;
    dataDir?: string;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "closeloop-test-"));
  const logs: string[] = [];
  const env = readEnvironment({ PORT: "0", CLOSELOOP_DATA_DIR: dataDir, ...opts.env });
  const served = await serve(
    {
      config: configSchema.parse(opts.config ?? {}),
      env,
      logger: createLogger({ destination: { write: (line: string) => logs.push(line) } }),
      clock: opts.clock,
    },
    { seedDemo: opts.seedDemo ?? false, hostname: "127.0.0.1" },
  );
  const call: TestServer["call"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.as) headers["x-closeloop-as"] = o.as;
    let body: string | undefined;
    if (o.body !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
    }
    const res = await fetch(served.url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  };
  return {
    ...served,
    dataDir,
    logs,
    call,
    async stop() {
      await served.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
