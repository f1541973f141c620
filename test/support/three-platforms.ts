import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve as serveNode } from "@hono/node-server";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { DingTalkEmulator } from "../../adapters/dingtalk/emulator/index.ts";
import { dingtalkModule } from "../../adapters/dingtalk/index.ts";
import type { DingTalkPlatform } from "../../adapters/dingtalk/platform.ts";
import { FeishuEmulator } from "../../adapters/feishu/emulator/index.ts";
import type { EmuUser } from "../../adapters/feishu/emulator/world.ts";
import { feishuModule } from "../../adapters/feishu/module.ts";
import type { FeishuPlatform } from "../../adapters/feishu/platform.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import { type EmulatedUser, TeamsEmulator } from "../../adapters/teams/emulator/index.ts";
import { teamsModule } from "../../adapters/teams/index.ts";
import { configSchema } from "../../core/config/schema.ts";
import type { DirectoryData } from "../../core/directory/schema.ts";
import type { OutboxItem } from "../../core/ports.ts";
import { buildCloseloop, type Closeloop } from "../../main.ts";
import { CLIENT, GROUP, TEMPLATE, waitFor } from "../dingtalk/support/harness.ts";
import { ManualClock } from "./manual-clock.ts";

// Monday 2026-11-23 10:00 in Shanghai: inside business hours.
export const MONDAY_10 = "2026-11-23T02:00:00.000Z";
export { GROUP, waitFor };

const FAR = "9999-12-31T00:00:00.000Z";

/** Entra object ids of the people who use Teams. */
export const AAD = {
  head: "7c1f0a52-0000-4000-8000-0000000000b1",
  admin: "7c1f0a52-0000-4000-8000-0000000000a1",
} as const;

/**
 * One company on three platforms: support (the first-contact agent) on DingTalk, engineering on Feishu, the
 * department head on Teams. 李娜 also has a Feishu account and 陈静 (admin) is on all three: one person,
 * several platform identities.
 */
export function crossPlatformDirectory(feishu: {
  agent: string;
  owner: string;
  admin: string;
}): DirectoryData {
  return {
    departments: [
      { id: "support", name: "客服组", head: "admin", members: ["agent-li"] },
      { id: "tech", name: "技术支持组", head: "head-tech", members: ["eng-liu"] },
    ],
    people: [
      {
        id: "admin",
        name: "陈静",
        roles: ["admin"],
        departments: ["support"],
        dingtalk: { userId: "u_chen" },
        feishu: { openId: feishu.admin },
        teams: { aadObjectId: AAD.admin },
      },
      {
        id: "agent-li",
        name: "李娜",
        roles: ["agent"],
        departments: ["support"],
        dingtalk: { userId: "u_li" },
        feishu: { openId: feishu.agent },
      },
      // Reachable only on Feishu, configured by the tenant-wide user_id (open_ids differ per app).
      {
        id: "eng-liu",
        name: "刘洋",
        roles: ["engineer"],
        departments: ["tech"],
        feishu: { userId: "fs_liu" },
      },
      // Reachable only on Teams.
      {
        id: "head-tech",
        name: "张伟",
        roles: ["head"],
        departments: ["tech"],
        teams: { aadObjectId: AAD.head },
      },
    ],
  };
}

export interface ThreePlatforms {
  readonly clock: ManualClock;
  readonly cl: Closeloop;
  readonly url: string;
  readonly logs: string[];
  readonly dingtalk: { readonly emu: DingTalkEmulator; readonly platform: DingTalkPlatform };
  readonly feishu: {
    readonly emu: FeishuEmulator;
    readonly platform: FeishuPlatform;
    readonly users: Record<"agent" | "owner" | "admin" | "outsider", EmuUser>;
  };
  readonly teams: { readonly emu: TeamsEmulator; readonly users: Record<"head" | "admin", EmulatedUser> };
  /** Runs the outbox until nothing more is due (advancing the clock past retries and digest holds). */
  drain(): Promise<void>;
  /** Outbox rows not delivered (failed for good, or waiting for a retry), whenever they are due. */
  undelivered(): Promise<readonly OutboxItem[]>;
  stop(): Promise<void>;
}

/** All three local platforms at once, against one closeloop server (one store, one outbox, one router). */
export async function startThreePlatforms(
  o: {
    config?: Record<string, unknown>;
    env?: Record<string, string>;
    directory?: (feishu: { agent: string; owner: string; admin: string }) => DirectoryData;
    /** Add a Feishu account outside the directory whose user_id spells "head-tech" (default true). */
    feishuOutsider?: boolean;
  } = {},
): Promise<ThreePlatforms> {
  const clock = new ManualClock(MONDAY_10);

  const ding = new DingTalkEmulator({
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    templates: [TEMPLATE],
    clock,
    redeliverAfterMs: 300,
    disconnectCloseAfterMs: 2000,
    users: [
      { userId: "u_li", name: "李娜", deptIds: [2] },
      { userId: "u_chen", name: "陈静", deptIds: [2] },
      { userId: "u_stranger", name: "路人", deptIds: [2] },
    ],
    departments: [
      { deptId: 1, name: "公司", managers: [] },
      { deptId: 2, name: "客服", parentId: 1, managers: ["u_chen"] },
    ],
    groups: [{ openConversationId: GROUP, title: "售后支持群" }],
  });
  await ding.start();

  const fei = new FeishuEmulator({
    encryptKey: "xplat-encrypt-key",
    verificationToken: "xplat-verification-token",
    retryDelaysMs: [],
  });
  await fei.start();
  const feishuUsers = {
    agent: fei.addUser({ name: "李娜", user_id: "fs_li" }),
    owner: fei.addUser({ name: "刘洋", user_id: "fs_liu" }),
    admin: fei.addUser({ name: "陈静", user_id: "fs_chen" }),
    // A Feishu account the directory does not list, whose user_id happens to spell a directory id.
    outsider: fei.addUser({ name: "张伟", user_id: o.feishuOutsider === false ? "fs_zhang" : "head-tech" }),
  };

  const tms = await new TeamsEmulator({ clock }).start();
  const teamsUsers = {
    head: tms.addUser({ aadObjectId: AAD.head, name: "张伟" }),
    admin: tms.addUser({ aadObjectId: AAD.admin, name: "陈静" }),
  };

  const dataDir = mkdtempSync(join(tmpdir(), "closeloop-xplat-"));
  const logs: string[] = [];
  const processEnv: Record<string, string> = {
    DINGTALK_CLIENT_ID: CLIENT.id,
    DINGTALK_CLIENT_SECRET: CLIENT.secret,
    DINGTALK_CARD_TEMPLATE_ID: TEMPLATE,
    DINGTALK_API_BASE: ding.url,
    DINGTALK_OAPI_BASE: ding.url,
    DINGTALK_DING: "app",
    FEISHU_APP_ID: fei.appId,
    FEISHU_APP_SECRET: fei.appSecret,
    FEISHU_VERIFICATION_TOKEN: "xplat-verification-token",
    FEISHU_ENCRYPT_KEY: "xplat-encrypt-key",
    FEISHU_DOMAIN: fei.url,
    FEISHU_MODE: "webhook",
    ...tms.env(),
    ...o.env,
  };
  const ids = {
    agent: feishuUsers.agent.open_id,
    owner: feishuUsers.owner.open_id,
    admin: feishuUsers.admin.open_id,
  };
  const cl = await buildCloseloop({
    config: configSchema.parse({
      directory: (o.directory ?? crossPlatformDirectory)(ids),
      defaultDepartment: "tech",
      nudge: { urgent: true },
      ...o.config,
    }),
    // Live mode (not the sandbox): nothing undeliverable disappears into the sandbox inbox.
    env: readEnvironment({
      CLOSELOOP_DATA_DIR: dataDir,
      CLOSELOOP_SECRET_KEY: Buffer.alloc(32, 11).toString("base64"),
      ...processEnv,
    }),
    logger: createLogger({ destination: { write: (line: string) => logs.push(line) } }),
    clock,
    processEnv,
    platformModules: [
      teamsModule({ retry: { baseMs: 20, maxMs: 200 } }),
      feishuModule,
      dingtalkModule({ reconnect: { baseMs: 10, maxMs: 100 }, throttleBackoffMs: 2, answerBudgetMs: 1500 }),
    ],
  });
  const server = await new Promise<Server>((resolve) => {
    const s = serveNode({ fetch: cl.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fei.callbackUrl = `${url}/feishu/events`;
  tms.botUrl = `${url}/teams/messages`;

  const feishuPlatform = cl.platforms.find((p) => p.id === "feishu") as FeishuPlatform;
  const dingPlatform = cl.platforms.find((p) => p.id === "dingtalk") as DingTalkPlatform;
  await feishuPlatform.start();
  await dingPlatform.start();
  await waitFor("the DingTalk stream connection", () => ding.gateway.liveConnections === 1);

  return {
    clock,
    cl,
    url,
    logs,
    dingtalk: { emu: ding, platform: dingPlatform },
    feishu: { emu: fei, platform: feishuPlatform, users: feishuUsers },
    teams: { emu: tms, users: teamsUsers },
    async drain() {
      for (let i = 0; i < 40; i++) {
        const r = await cl.dispatcher.runOnce();
        if (r.delivered === 0 && r.retried === 0 && r.held === 0) return;
        if (r.retried > 0 || r.held > 0) clock.advance(30_000);
        // A platform's per-chat send limit is kept on real time: held rows wait for it, not for the test clock.
        if (r.held > 0 || r.retried > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error("the outbox did not settle");
    },
    undelivered: () => cl.store.dueOutbox(FAR, 10_000),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await cl.close();
      await ding.stop();
      await fei.stop();
      await tms.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
