import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve as serveNode } from "@hono/node-server";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { FeishuEmulator } from "../../adapters/feishu/emulator/index.ts";
import { feishuModule } from "../../adapters/feishu/module.ts";
import type { FeishuPlatform } from "../../adapters/feishu/platform.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import { configSchema } from "../../core/config/schema.ts";
import { buildCloseloop, type Closeloop } from "../../main.ts";
import { ManualClock } from "../support/manual-clock.ts";

// Monday 2026-11-23 10:00 in Shanghai.
export const MONDAY_10 = "2026-11-23T02:00:00.000Z";
export const API_TOKEN = "feishu-test-api-token-0123456789";
const ENCRYPT_KEY = "test-encrypt-key";
const VERIFICATION_TOKEN = "test-verification-token";

export interface Harness {
  readonly emu: FeishuEmulator;
  readonly cl: Closeloop;
  readonly platform: FeishuPlatform;
  readonly clock: ManualClock;
  readonly url: string;
  readonly logs: string[];
  readonly dataDir: string;
  readonly ids: Record<"agent" | "engineer" | "head" | "support" | "admin" | "other", string>;
  readonly group: string;
  /** Runs the outbox until nothing more is delivered (advancing the fake clock past retries). */
  drain(rounds?: number): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
  api(path: string): Promise<{ status: number; body: any }>;
  /** Stops the server and starts a new one on the same data directory (the emulator stays). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  opts: {
    mode?: "webhook" | "ws";
    dataDir?: string;
    feishuHead?: "same" | "other";
    scopes?: readonly string[];
    /** Top-level config sections merged over the harness's own (e.g. `notify`, `sla`). */
    config?: Record<string, unknown>;
  } = {},
): Promise<Harness> {
  const mode = opts.mode ?? "webhook";
  const emu = new FeishuEmulator({
    encryptKey: ENCRYPT_KEY,
    verificationToken: VERIFICATION_TOKEN,
    retryDelaysMs: [],
    scopes: opts.scopes,
  });
  await emu.start();
  emu.mode = mode;
  const agent = emu.addUser({ name: "李娜", user_id: "agent-li" });
  const engineer = emu.addUser({ name: "刘洋", user_id: "eng-liu" });
  const head = emu.addUser({ name: "张伟", user_id: "head-tech" });
  const support = emu.addUser({ name: "王芳", user_id: "head-support" });
  const admin = emu.addUser({ name: "陈静", user_id: "admin" });
  const other = emu.addUser({ name: "赵新", user_id: "feishu-only" });
  const techDep = emu.addDepartment({
    name: "技术支持组",
    leader_user_id: opts.feishuHead === "other" ? other.open_id : head.open_id,
  });
  const group = emu.addGroup("售后支持群", [agent.open_id, engineer.open_id, head.open_id, support.open_id]);
  const ids = {
    agent: agent.open_id,
    engineer: engineer.open_id,
    head: head.open_id,
    support: support.open_id,
    admin: admin.open_id,
    other: other.open_id,
  };

  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "closeloop-feishu-"));
  const clock = new ManualClock(MONDAY_10);
  const logs: string[] = [];
  const processEnv = {
    FEISHU_APP_ID: emu.appId,
    FEISHU_APP_SECRET: emu.appSecret,
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_DOMAIN: emu.url,
    FEISHU_MODE: mode,
    FEISHU_DEPARTMENTS: `tech=${techDep.open_department_id}`,
    CLOSELOOP_DATA_DIR: dataDir,
  };
  const boot = async () => {
    const cl = await buildCloseloop({
      config: configSchema.parse({
        nudge: { urgent: true },
        directory: {
          departments: [
            { id: "support", name: "客服中心", head: "head-support", members: ["agent-li"] },
            { id: "tech", name: "技术支持组", head: "head-tech", parent: "support", members: ["eng-liu"] },
          ],
          people: [
            { id: "admin", name: "陈静", roles: ["admin"], feishu: { openId: admin.open_id } },
            {
              id: "head-support",
              name: "王芳",
              roles: ["head", "agent"],
              departments: ["support"],
              feishu: { openId: support.open_id },
            },
            {
              id: "agent-li",
              name: "李娜",
              roles: ["agent"],
              departments: ["support"],
              feishu: { openId: agent.open_id },
            },
            {
              id: "head-tech",
              name: "张伟",
              roles: ["head"],
              departments: ["tech"],
              feishu: { openId: head.open_id },
            },
            // Known to the directory by id only: found through the contact API (user_id) on first contact.
            { id: "eng-liu", name: "刘洋", roles: ["engineer"], departments: ["tech"] },
          ],
        },
        ...opts.config,
      }),
      env: readEnvironment({
        CLOSELOOP_DATA_DIR: dataDir,
        CLOSELOOP_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
        CLOSELOOP_API_TOKEN: API_TOKEN,
        FEISHU_APP_ID: emu.appId,
      }),
      logger: createLogger({ destination: { write: (line: string) => logs.push(line) } }),
      clock,
      platformModules: [feishuModule],
      processEnv: { ...processEnv, FEISHU_MATCH_USER_ID: "1" },
    });
    const server = await new Promise<Server>((resolve) => {
      const s = serveNode({ fetch: cl.app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
        resolve(s as Server),
      );
    });
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    emu.callbackUrl = `${url}/feishu/events`;
    const platform = cl.platforms.find((p) => p.id === "feishu") as FeishuPlatform;
    await platform.start?.();
    if (mode === "ws") {
      for (let i = 0; i < 200 && emu.ws.connected === 0; i++) await new Promise((r) => setTimeout(r, 10));
      if (emu.ws.connected === 0) throw new Error("the long connection did not connect");
    }
    return { cl, server, url, platform };
  };
  let live = await boot();

  const drain = async (rounds = 12) => {
    for (let i = 0; i < rounds; i++) {
      const r = await live.cl.dispatcher.runOnce();
      if (r.delivered === 0 && r.retried === 0 && r.held === 0) return;
      if (r.retried > 0 || r.held > 0) clock.advance(5_000);
    }
  };
  const close = async () => {
    await live.cl.close();
    await new Promise<void>((resolve) => live.server.close(() => resolve()));
    live.server.closeAllConnections?.();
  };
  return {
    emu,
    get cl() {
      return live.cl;
    },
    get platform() {
      return live.platform;
    },
    get url() {
      return live.url;
    },
    clock,
    logs,
    dataDir,
    ids,
    group: group.chat_id,
    drain,
    async api(path) {
      const res = await fetch(live.url + path, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      return { status: res.status, body: await res.json() };
    },
    async restart() {
      await close();
      live = await boot();
    },
    async stop() {
      await close();
      await emu.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The callback value of the first button on a card whose value names `action`. */
export function buttonValue(card: unknown, action: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (x: unknown): void => {
    if (found || !x || typeof x !== "object") return;
    if (Array.isArray(x)) {
      for (const v of x) walk(v);
      return;
    }
    const o = x as Record<string, unknown>;
    if (o.tag === "button" && Array.isArray(o.behaviors)) {
      for (const b of o.behaviors as { type: string; value?: Record<string, unknown> }[])
        if (b.type === "callback" && b.value?.action === action && !found) found = b.value;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(card);
  return found;
}

/** A card callback's answer as Feishu reads it. */
export interface CallbackBody {
  readonly toast: { type: string; content: string; i18n: { zh_cn: string; en_us: string } };
  readonly card?: { type: string; data: unknown };
}

export const answerOf = (a: { body: unknown }): CallbackBody => a.body as CallbackBody;
