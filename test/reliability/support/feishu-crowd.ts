import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve as serveNode } from "@hono/node-server";
import { readEnvironment } from "../../../adapters/config/environment.ts";
import { type EmuUser, FeishuEmulator } from "../../../adapters/feishu/emulator/index.ts";
import { feishuModule } from "../../../adapters/feishu/module.ts";
import type { FeishuPlatform } from "../../../adapters/feishu/platform.ts";
import { BOARD_CALL_HEADER } from "../../../adapters/http/auth.ts";
import { createLogger } from "../../../adapters/log/logger.ts";
import { configSchema } from "../../../core/config/schema.ts";
import { buildCloseloop, type Closeloop } from "../../../main.ts";
import { MONDAY_10 } from "../../feishu/harness.ts";
import { ManualClock } from "../../support/manual-clock.ts";

export const API_TOKEN = "reliability-api-token-0123456789";

/**
 * The Feishu harness (test/feishu/harness.ts) with a crowd: `engineers` people in one department, each with
 * a Feishu account the directory names, a first-contact agent and the department's head, all in one group.
 * The board's sign-in has a "crowd" provider whose code is the person id, so each can also hold a board
 * session (cookie + CSRF token) and click through the board API.
 */
export interface Crowd {
  readonly emu: FeishuEmulator;
  readonly cl: Closeloop;
  readonly platform: FeishuPlatform;
  readonly clock: ManualClock;
  readonly url: string;
  readonly logs: string[];
  readonly group: string;
  /** Directory id -> Feishu user. */
  readonly users: ReadonlyMap<string, EmuUser>;
  readonly engineers: readonly string[];
  drain(rounds?: number): Promise<void>;
  /** Signs `person` in to the board; the headers a board page sends with each command. */
  boardSession(person: string): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startCrowd(opts: { engineers: number }): Promise<Crowd> {
  const emu = new FeishuEmulator({
    encryptKey: "crowd-encrypt-key",
    verificationToken: "crowd-verification-token",
    retryDelaysMs: [],
  });
  await emu.start();
  const users = new Map<string, EmuUser>();
  const add = (id: string, name: string) => users.set(id, emu.addUser({ name, user_id: id }));
  add("agent-li", "李娜");
  add("head-tech", "张伟");
  const engineers = Array.from({ length: opts.engineers }, (_, i) => `eng-${String(i).padStart(3, "0")}`);
  for (const [i, id] of engineers.entries()) add(id, `工程师${i}`);
  const group = emu.addGroup(
    "售后支持群",
    [...users.values()].map((u) => u.open_id),
  );
  const feishu = (id: string) => ({ openId: users.get(id)!.open_id });

  const dataDir = mkdtempSync(join(tmpdir(), "closeloop-crowd-"));
  const clock = new ManualClock(MONDAY_10);
  const logs: string[] = [];
  const cl = await buildCloseloop({
    config: configSchema.parse({
      directory: {
        departments: [
          { id: "support", name: "客服中心", head: "agent-li", members: ["agent-li"] },
          { id: "tech", name: "技术支持组", head: "head-tech", parent: "support", members: engineers },
        ],
        people: [
          { id: "admin", name: "陈静", roles: ["admin"] },
          {
            id: "agent-li",
            name: "李娜",
            roles: ["agent", "head"],
            departments: ["support"],
            feishu: feishu("agent-li"),
          },
          {
            id: "head-tech",
            name: "张伟",
            roles: ["head"],
            departments: ["tech"],
            feishu: feishu("head-tech"),
          },
          ...engineers.map((id, i) => ({
            id,
            name: `工程师${i}`,
            roles: ["engineer"],
            departments: ["tech"],
            feishu: feishu(id),
            ...(i % 2 === 1 ? { locale: "en" } : {}),
          })),
        ],
      },
    }),
    env: readEnvironment({
      CLOSELOOP_DATA_DIR: dataDir,
      CLOSELOOP_SECRET_KEY: Buffer.alloc(32, 9).toString("base64"),
      CLOSELOOP_API_TOKEN: API_TOKEN,
      FEISHU_APP_ID: emu.appId,
    }),
    logger: createLogger({ destination: { write: (line: string) => logs.push(line) } }),
    clock,
    platformModules: [feishuModule],
    processEnv: {
      FEISHU_APP_ID: emu.appId,
      FEISHU_APP_SECRET: emu.appSecret,
      FEISHU_VERIFICATION_TOKEN: "crowd-verification-token",
      FEISHU_ENCRYPT_KEY: "crowd-encrypt-key",
      FEISHU_DOMAIN: emu.url,
      FEISHU_MODE: "webhook",
    },
  });
  cl.signIn.register({
    id: "crowd",
    label: { "zh-CN": "测试人群", en: "Test crowd" },
    exchange: async ({ code }) => (users.has(code) ? code : undefined),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serveNode({ fetch: cl.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  emu.callbackUrl = `${url}/feishu/events`;
  const platform = cl.platforms.find((p) => p.id === "feishu") as FeishuPlatform;
  await platform.start();

  return {
    emu,
    cl,
    platform,
    clock,
    url,
    logs,
    group: group.chat_id,
    users,
    engineers,
    async drain(rounds = 20) {
      for (let i = 0; i < rounds; i++) {
        const r = await cl.dispatcher.runOnce();
        if (r.delivered === 0 && r.retried === 0 && r.held === 0) return;
        if (r.retried > 0 || r.held > 0) clock.advance(5_000);
        // A platform's per-chat send limit is kept on real time: held rows wait for it, not for the test clock.
        if (r.held > 0 || r.retried > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async boardSession(person) {
      const res = await fetch(`${url}/board/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ provider: "crowd", code: person }),
      });
      if (res.status !== 200) throw new Error(`board sign-in of ${person}: ${res.status}`);
      const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
      const { csrf } = (await res.json()) as { csrf: string };
      return { cookie, [BOARD_CALL_HEADER]: csrf };
    },
    async stop() {
      await cl.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await emu.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
