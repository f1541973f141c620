import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readEnvironment } from "../../../adapters/config/environment.ts";
import { DingTalkEmulator } from "../../../adapters/dingtalk/emulator/index.ts";
import { dingtalkModule } from "../../../adapters/dingtalk/index.ts";
import type { DingTalkPlatform, DingTalkPlatformOptions } from "../../../adapters/dingtalk/platform.ts";
import { createLogger } from "../../../adapters/log/logger.ts";
import { configSchema } from "../../../core/config/schema.ts";
import { buildCloseloop, type Closeloop } from "../../../main.ts";
import { ManualClock } from "../../support/manual-clock.ts";

// Monday 2026-11-23 10:00 in Shanghai: inside business hours.
export const MONDAY_10 = "2026-11-23T02:00:00.000Z";
export const TEMPLATE = "closeloop-card.schema";
export const GROUP = "cidSupportGroup==";
export const CLIENT = { id: "dingcloseloop", secret: "s3cret-of-the-app" };

export const DIRECTORY = {
  departments: [
    { id: "support", name: "客服组", head: "admin", members: ["agent-li"] },
    { id: "tech", name: "技术支持组", head: "head-tech", members: ["eng-liu"] },
  ],
  people: [
    { id: "admin", name: "陈静", roles: ["admin"], departments: ["support"] },
    {
      id: "agent-li",
      name: "李娜",
      roles: ["agent"],
      departments: ["support"],
      dingtalk: { userId: "u_li" },
    },
    {
      id: "head-tech",
      name: "张伟",
      roles: ["head"],
      departments: ["tech"],
      dingtalk: { userId: "u_zhang" },
    },
    {
      id: "eng-liu",
      name: "刘洋",
      roles: ["engineer"],
      departments: ["tech"],
      dingtalk: { userId: "u_liu" },
    },
    { id: "eng-sun", name: "孙磊", roles: ["engineer"], departments: [], dingtalk: { userId: "u_sun" } },
  ],
};

export interface Harness {
  readonly clock: ManualClock;
  readonly emu: DingTalkEmulator;
  readonly cl: Closeloop;
  readonly platform: DingTalkPlatform;
  readonly logs: string[];
  /** Runs the outbox until nothing is left to do now. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 5000,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function startHarness(
  o: {
    env?: Record<string, string>;
    config?: Record<string, unknown>;
    emulator?: Record<string, unknown>;
    platform?: DingTalkPlatformOptions;
  } = {},
): Promise<Harness> {
  const clock = new ManualClock(MONDAY_10);
  const emu = new DingTalkEmulator({
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    templates: [TEMPLATE],
    clock,
    redeliverAfterMs: 300,
    disconnectCloseAfterMs: 2000,
    users: [
      { userId: "u_li", name: "李娜", deptIds: [2] },
      { userId: "u_zhang", name: "张伟", deptIds: [10] },
      { userId: "u_liu", name: "刘洋", deptIds: [11] },
      { userId: "u_sun", name: "孙磊", deptIds: [11] },
      { userId: "u_stranger", name: "路人", deptIds: [2] },
    ],
    departments: [
      { deptId: 1, name: "公司", managers: [] },
      { deptId: 2, name: "客服", parentId: 1, managers: [] },
      { deptId: 10, name: "技术支持", parentId: 1, managers: ["u_zhang"] },
      { deptId: 11, name: "二线", parentId: 10, managers: [] },
    ],
    groups: [
      { openConversationId: GROUP, title: "售后支持群" },
      { openConversationId: "cidNoRobot==", title: "没有机器人的群", robotIn: false },
    ],
    ...o.emulator,
  });
  await emu.start();
  const dir = mkdtempSync(join(tmpdir(), "closeloop-dingtalk-"));
  const logs: string[] = [];
  const cl = await buildCloseloop({
    config: configSchema.parse({ directory: DIRECTORY, defaultDepartment: "tech", ...o.config }),
    env: readEnvironment({ CLOSELOOP_DATA_DIR: dir }),
    logger: createLogger({ destination: { write: (line: string) => logs.push(line) } }),
    clock,
    processEnv: {
      DINGTALK_CLIENT_ID: CLIENT.id,
      DINGTALK_CLIENT_SECRET: CLIENT.secret,
      DINGTALK_CARD_TEMPLATE_ID: TEMPLATE,
      DINGTALK_API_BASE: emu.url,
      DINGTALK_OAPI_BASE: emu.url,
      ...o.env,
    },
    platformModules: [
      dingtalkModule({
        reconnect: { baseMs: 10, maxMs: 100 },
        throttleBackoffMs: 2,
        answerBudgetMs: 1500,
        ...o.platform,
      }),
    ],
  });
  const platform = cl.platforms.find((p) => p.id === "dingtalk") as DingTalkPlatform;
  return {
    clock,
    emu,
    cl,
    platform,
    logs,
    async drain() {
      for (let i = 0; i < 10; i++) {
        const r = await cl.dispatcher.runOnce();
        if (r.delivered === 0 && r.retried === 0) return;
      }
    },
    async close() {
      await cl.close();
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
