import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve as serveNode } from "@hono/node-server";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import { type EmulatedUser, TeamsEmulator } from "../../adapters/teams/emulator/index.ts";
import { teamsModule } from "../../adapters/teams/index.ts";
import { configSchema } from "../../core/config/schema.ts";
import type { DirectoryData } from "../../core/directory/schema.ts";
import { buildCloseloop, type Closeloop } from "../../main.ts";
import { ManualClock } from "../support/manual-clock.ts";

// Monday 2026-11-23 10:00 in Shanghai.
export const MONDAY_10 = "2026-11-23T02:00:00.000Z";

export const AAD = {
  agent: "0a1b2c3d-0000-4000-8000-00000000a001",
  head: "0a1b2c3d-0000-4000-8000-00000000b001",
  engineer: "0a1b2c3d-0000-4000-8000-00000000c001",
  blocked: "0a1b2c3d-0000-4000-8000-00000000d001",
  stranger: "0a1b2c3d-0000-4000-8000-00000000e001",
} as const;

export const DIRECTORY: DirectoryData = {
  departments: [
    { id: "support", name: "客服中心", head: "head-support", members: ["agent-li"] },
    { id: "tech", name: "技术支持组", head: "head-tech", parent: "support", members: ["eng-liu"] },
  ],
  people: [
    { id: "admin", name: "陈静", roles: ["admin"], departments: [] },
    { id: "head-support", name: "王芳", roles: ["head", "agent"], departments: ["support"] },
    {
      id: "agent-li",
      name: "李娜",
      roles: ["agent"],
      departments: ["support"],
      teams: { aadObjectId: AAD.agent },
    },
    {
      id: "head-tech",
      name: "张伟",
      roles: ["head"],
      departments: ["tech"],
      teams: { aadObjectId: AAD.head },
    },
    {
      id: "eng-liu",
      name: "刘洋",
      roles: ["engineer"],
      departments: ["tech"],
      teams: { aadObjectId: AAD.engineer },
    },
    {
      id: "eng-blocked",
      name: "Blocked <&> Bob",
      locale: "en",
      roles: ["engineer"],
      departments: ["tech"],
      away: true,
      teams: { aadObjectId: AAD.blocked },
    },
  ],
};

export interface TeamsWorld {
  readonly emulator: TeamsEmulator;
  readonly cl: Closeloop;
  readonly clock: ManualClock;
  readonly url: string;
  readonly users: {
    agent: EmulatedUser;
    head: EmulatedUser;
    engineer: EmulatedUser;
    blocked: EmulatedUser;
    stranger: EmulatedUser;
  };
  readonly logs: string[];
  /** Stops closeloop and starts it again on the same data (the emulator keeps running). */
  restart(): Promise<void>;
  /** Runs the outbox until nothing more is due now (inbound activities, notifications, card updates). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** closeloop (Teams adapter on) served on a loopback port, with the local Teams as every Microsoft endpoint. */
export async function startTeamsWorld(
  opts: { start?: string; config?: Record<string, unknown> } = {},
): Promise<TeamsWorld> {
  const clock = new ManualClock(opts.start ?? MONDAY_10);
  const emulator = await new TeamsEmulator({ clock }).start();
  const dataDir = mkdtempSync(join(tmpdir(), "closeloop-teams-"));
  const logs: string[] = [];
  const env = emulator.env();
  const secret = randomBytes(32).toString("base64");
  const boot = async () => {
    const cl = await buildCloseloop({
      config: configSchema.parse({ directory: DIRECTORY, ...opts.config }),
      env: readEnvironment({ CLOSELOOP_DATA_DIR: dataDir, CLOSELOOP_SECRET_KEY: secret, ...env }),
      logger: createLogger({ destination: { write: (line: string) => logs.push(line) } }),
      clock,
      platformModules: [teamsModule({ retry: { baseMs: 20, maxMs: 200 } })],
      processEnv: env,
    });
    const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
      const s = serveNode({ fetch: cl.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulator.botUrl = `${url}/teams/messages`;
    return { cl, server, url };
  };
  let running = await boot();
  const shutdown = async () => {
    const { server, cl } = running;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await cl.close();
  };
  const users = {
    agent: emulator.addUser({ aadObjectId: AAD.agent, name: "李娜" }),
    head: emulator.addUser({ aadObjectId: AAD.head, name: "张伟" }),
    engineer: emulator.addUser({ aadObjectId: AAD.engineer, name: "刘洋" }),
    blocked: emulator.addUser({ aadObjectId: AAD.blocked, name: "Blocked <&> Bob", blocked: true }),
    stranger: emulator.addUser({ aadObjectId: AAD.stranger, name: "Stranger" }),
  };
  const world: TeamsWorld = {
    emulator,
    get cl() {
      return running.cl;
    },
    clock,
    get url() {
      return running.url;
    },
    users,
    logs,
    async drain() {
      const { cl } = running;
      for (let i = 0; i < 20; i++) {
        const due = await cl.store.dueOutbox(clock.now().toISOString(), 1000);
        if (due.length === 0) return;
        const before = due.map((d) => `${d.key}:${d.attempts}`).join();
        await cl.dispatcher.runOnce();
        const after = (await cl.store.dueOutbox(clock.now().toISOString(), 1000))
          .map((d) => `${d.key}:${d.attempts}`)
          .join();
        if (after === before) return;
      }
    },
    async restart() {
      await shutdown();
      running = await boot();
    },
    async stop() {
      await shutdown();
      await emulator.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return world;
}
