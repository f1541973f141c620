import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve as serveNode } from "@hono/node-server";
import { readEnvironment } from "../../../adapters/config/environment.ts";
import { DingTalkEmulator } from "../../../adapters/dingtalk/emulator/index.ts";
import { dingtalkModule } from "../../../adapters/dingtalk/index.ts";
import type { DingTalkPlatform } from "../../../adapters/dingtalk/platform.ts";
import { FeishuEmulator } from "../../../adapters/feishu/emulator/index.ts";
import type { EmuUser } from "../../../adapters/feishu/emulator/world.ts";
import { feishuModule } from "../../../adapters/feishu/module.ts";
import type { FeishuPlatform } from "../../../adapters/feishu/platform.ts";
import { createLogger } from "../../../adapters/log/logger.ts";
import { type EmulatedUser, TeamsEmulator } from "../../../adapters/teams/emulator/index.ts";
import { teamsModule } from "../../../adapters/teams/index.ts";
import { configSchema } from "../../../core/config/schema.ts";
import type { DirectoryData, Person } from "../../../core/directory/schema.ts";
import type { TicketRecord } from "../../../core/ports.ts";
import { buildCloseloop, type Closeloop } from "../../../main.ts";
import { ManualClock } from "../../support/manual-clock.ts";
import { Ledger, REVEALED } from "./ledger.ts";
import { WriteSpy } from "./spy.ts";

// Monday 2026-11-23 10:00 in Shanghai: business hours.
export const MONDAY_10 = "2026-11-23T02:00:00.000Z";
export const API_TOKEN = "security-test-api-token-0123456789abcdef";
export const FEISHU = { encryptKey: "sec-encrypt-key", verificationToken: "sec-verification-token" };
export const DINGTALK = {
  id: "dingsecurity",
  secret: "dingtalk-app-secret-of-the-test",
  template: "closeloop-card.schema",
};
export const DING_GROUP = "cidSecurityGroup==";

/**
 * The people of the security tests, each a role relative to a ticket of department "tech" owned by eng-liu
 * and taken by agent-li. `stranger` exists on every platform and in no directory.
 */
export const PERSONAS = {
  admin: { id: "admin", name: "陈静", roles: ["admin"], departments: [] },
  "head-support": { id: "head-support", name: "王芳", roles: ["head"], departments: ["support"] },
  "head-tech": { id: "head-tech", name: "张伟", roles: ["head"], departments: ["tech"] },
  "head-billing": { id: "head-billing", name: "赵强", roles: ["head"], departments: ["billing"] },
  "eng-liu": { id: "eng-liu", name: "刘洋", roles: ["engineer"], departments: ["tech"] },
  "eng-sun": { id: "eng-sun", name: "孙磊", roles: ["engineer"], departments: ["tech"] },
  "eng-bill": { id: "eng-bill", name: "钱多", roles: ["engineer"], departments: ["billing"] },
  "agent-li": { id: "agent-li", name: "李娜", roles: ["agent"], departments: ["support"] },
  "agent-zhou": { id: "agent-zhou", name: "周敏", roles: ["agent"], departments: ["support"] },
} as const satisfies Record<string, Omit<Person, "roles"> & { roles: readonly string[] }>;

export type PersonaId = keyof typeof PERSONAS;
export type Who = PersonaId | "stranger";
export const WHO: readonly Who[] = [...(Object.keys(PERSONAS) as PersonaId[]), "stranger"];

const DEPARTMENTS = [
  { id: "support", name: "客服中心", head: "head-support", members: ["agent-li", "agent-zhou"] },
  { id: "tech", name: "技术支持组", head: "head-tech", parent: "support", members: ["eng-liu", "eng-sun"] },
  { id: "billing", name: "账务组", head: "head-billing", parent: "support", members: ["eng-bill"] },
];

const aad = (i: number) => `5ec0f00d-0000-4000-8000-${String(i).padStart(12, "0")}`;
const dingId = (who: Who) => `u_${who.replace(/-/g, "_")}`;

export interface CallOptions {
  /** X-Closeloop-As (sandbox, loopback). */
  readonly as?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly bearer?: string;
  /** A board session: its cookie and CSRF token. */
  readonly session?: BoardSession;
}

export interface BoardSession {
  readonly cookie: string;
  readonly csrf: string;
}

export interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers field by field
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

export interface SecurityWorld {
  readonly cl: Closeloop;
  readonly clock: ManualClock;
  readonly url: string;
  readonly dataDir: string;
  readonly logs: string[];
  readonly spy: WriteSpy;
  readonly ledger: Ledger;
  readonly sandbox: boolean;
  readonly feishu: {
    readonly emu: FeishuEmulator;
    readonly platform: FeishuPlatform;
    readonly group: string;
    readonly users: Record<Who, EmuUser>;
  };
  readonly dingtalk: {
    readonly emu: DingTalkEmulator;
    readonly platform: DingTalkPlatform;
    readonly url: string;
  };
  readonly teams: { readonly emu: TeamsEmulator; readonly users: Record<Who, EmulatedUser> };
  dingUser(who: Who): string;
  /** An HTTP call to closeloop; the answer is recorded for the privacy scan. */
  call(method: string, path: string, o?: CallOptions): Promise<Answer>;
  /** Signs a person in to the board (sandbox provider) and returns the cookie and CSRF token. */
  boardSession(person: string): Promise<BoardSession>;
  /** A ticket in department tech, taken by agent-li, owned by eng-liu, brought to `state` through the service. */
  ticket(state?: TicketSetup, extra?: Record<string, unknown>): Promise<TicketRecord>;
  /** Runs the outbox until nothing more moves now. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export type TicketSetup =
  | "pending"
  | "unowned"
  | "in_progress"
  | "paused"
  | "resolved"
  | "confirmed"
  | "surveyed-low";

/** Every platform emulator, one closeloop with all three adapters on, the board and the API, one store. */
export async function startWorld(
  opts: { sandbox?: boolean; config?: Record<string, unknown> } = {},
): Promise<SecurityWorld> {
  const sandbox = opts.sandbox ?? true;
  const clock = new ManualClock(MONDAY_10);
  const logs: string[] = [];
  const ledger = new Ledger();

  const feishuEmu = new FeishuEmulator({
    encryptKey: FEISHU.encryptKey,
    verificationToken: FEISHU.verificationToken,
    retryDelaysMs: [],
  });
  await feishuEmu.start();
  const fUsers = Object.fromEntries(
    WHO.map((w) => [
      w,
      feishuEmu.addUser({ name: w === "stranger" ? "路人甲" : PERSONAS[w].name, user_id: w }),
    ]),
  ) as Record<Who, EmuUser>;
  const group = feishuEmu.addGroup(
    "售后支持群",
    WHO.map((w) => fUsers[w].open_id),
  );

  const dingEmu = new DingTalkEmulator({
    clientId: DINGTALK.id,
    clientSecret: DINGTALK.secret,
    templates: [DINGTALK.template],
    clock,
    redeliverAfterMs: 60_000,
    users: WHO.map((w) => ({
      userId: dingId(w),
      name: w === "stranger" ? "路人甲" : PERSONAS[w].name,
      deptIds: [2],
    })),
    departments: [
      { deptId: 1, name: "公司", managers: [] },
      { deptId: 2, name: "客服", parentId: 1, managers: [] },
    ],
    groups: [{ openConversationId: DING_GROUP, title: "售后支持群" }],
  });
  await dingEmu.start();

  const teamsEmu = await new TeamsEmulator({ clock }).start();
  const tUsers = Object.fromEntries(
    WHO.map((w, i) => [
      w,
      teamsEmu.addUser({ aadObjectId: aad(i + 1), name: w === "stranger" ? "Stranger" : PERSONAS[w].name }),
    ]),
  ) as Record<Who, EmulatedUser>;

  const directory: DirectoryData = {
    departments: DEPARTMENTS,
    people: (Object.keys(PERSONAS) as PersonaId[]).map((w) => ({
      ...PERSONAS[w],
      roles: [...PERSONAS[w].roles],
      departments: [...PERSONAS[w].departments],
      feishu: { openId: fUsers[w].open_id },
      dingtalk: { userId: dingId(w) },
      teams: { aadObjectId: tUsers[w].aadObjectId },
    })),
  };

  // On tmpfs when there is one: the store fsyncs every write, and these tests make thousands.
  const dataDir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "closeloop-security-"));
  const processEnv = {
    FEISHU_APP_ID: feishuEmu.appId,
    FEISHU_APP_SECRET: feishuEmu.appSecret,
    FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken,
    FEISHU_ENCRYPT_KEY: FEISHU.encryptKey,
    FEISHU_DOMAIN: feishuEmu.url,
    FEISHU_MODE: "webhook",
    DINGTALK_CLIENT_ID: DINGTALK.id,
    DINGTALK_CLIENT_SECRET: DINGTALK.secret,
    DINGTALK_CARD_TEMPLATE_ID: DINGTALK.template,
    DINGTALK_API_BASE: dingEmu.url,
    DINGTALK_OAPI_BASE: dingEmu.url,
    DINGTALK_MODE: "http",
    ...teamsEmu.env(),
  };
  const cl = await buildCloseloop({
    config: configSchema.parse({ directory, defaultDepartment: "tech", ...opts.config }),
    env: readEnvironment({
      CLOSELOOP_DATA_DIR: dataDir,
      CLOSELOOP_SECRET_KEY: randomBytes(32).toString("base64"),
      CLOSELOOP_API_TOKEN: API_TOKEN,
      // Any platform credential in the server's own environment turns sandbox mode off.
      ...(sandbox ? {} : { FEISHU_APP_ID: feishuEmu.appId }),
    }),
    logger: createLogger({ destination: { write: (line: string) => logs.push(line) } }),
    clock,
    processEnv,
    platformModules: [
      feishuModule,
      dingtalkModule({ reconnect: { baseMs: 10, maxMs: 100 }, throttleBackoffMs: 2 }),
      teamsModule({ retry: { baseMs: 5, maxMs: 20 } }),
    ],
  });
  // Board sign-in outside sandbox comes from the platforms; the tests sign in through a stand-in provider.
  if (!sandbox && !cl.signIn.get("test"))
    cl.signIn.register({
      id: "test",
      label: { "zh-CN": "测试", en: "Test" },
      exchange: async ({ code }) => (cl.directory.person(code) ? code : undefined),
    });
  const spy = new WriteSpy(cl.store);
  const server = await new Promise<Server>((resolve) => {
    const s = serveNode({ fetch: cl.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  feishuEmu.callbackUrl = `${url}/feishu/events`;
  teamsEmu.botUrl = `${url}/teams/messages`;
  const feishuPlatform = cl.platforms.find((p) => p.id === "feishu") as FeishuPlatform;
  const dingPlatform = cl.platforms.find((p) => p.id === "dingtalk") as DingTalkPlatform;
  await feishuPlatform.start?.();
  await dingPlatform.start();
  for (let i = 0; i < 400 && dingEmu.gateway.liveConnections === 0; i++)
    await new Promise((r) => setTimeout(r, 5));
  if (dingEmu.gateway.liveConnections === 0) throw new Error("the DingTalk stream did not connect");

  ledger.watch("log", "server log", () => logs);
  ledger.watch("card", "feishu messages", () =>
    [...feishuEmu.messages.values()].filter((m) => m.sender === "bot").map((m) => m.content),
  );
  ledger.watch("card", "dingtalk cards", () =>
    [...dingEmu.cards.values()].map((c) => JSON.stringify({ data: c.cardParamMap, private: c.privateData })),
  );
  ledger.watch("message", "dingtalk messages", () => dingEmu.messages.map((m) => JSON.stringify(m.body)));
  ledger.watch("message", "dingtalk dings", () => dingEmu.dings.map((d) => JSON.stringify(d)));
  ledger.watch("card", "teams activities", () =>
    [...teamsEmu.connector.conversations.values()].flatMap((c) =>
      [...c.activities.values()].filter((a) => a.by === "bot").map((a) => JSON.stringify(a.activity)),
    ),
  );

  const call: SecurityWorld["call"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.as) headers["x-closeloop-as"] = o.as;
    if (o.bearer !== undefined) headers.authorization = `Bearer ${o.bearer}`;
    if (o.session) {
      headers.cookie = o.session.cookie;
      headers["x-closeloop-csrf"] = o.session.csrf;
    }
    let body: string | undefined;
    if (o.body !== undefined) {
      headers["content-type"] ??= "application/json";
      body = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
    }
    const res = await fetch(url + path, { method, headers, body, redirect: "manual" });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const kind =
      res.status === 200 && /\/reveal-contact$/.test(path)
        ? REVEALED
        : path.startsWith("/board") || path.startsWith("/api/v1/board")
          ? "board"
          : "api";
    ledger.record(kind, `${method} ${path}`, text);
    return { status: res.status, body: parsed, text, headers: res.headers };
  };

  const boardSession: SecurityWorld["boardSession"] = async (person) => {
    const res = await fetch(`${url}/board/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ provider: sandbox ? "sandbox" : "test", code: person }),
    });
    if (res.status !== 200) throw new Error(`board sign-in as ${person}: HTTP ${res.status}`);
    const json = (await res.json()) as { csrf: string };
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    return { cookie, csrf: json.csrf };
  };

  const run = (record: TicketRecord, actor: string, name: string, body: Record<string, unknown>) =>
    cl.service.execute(
      record.state.number,
      name,
      { version: record.state.version, ...body },
      { actor, via: "api" },
    );

  const ticket: SecurityWorld["ticket"] = async (state = "pending", extra = {}) => {
    let r = await cl.service.create(
      { actor: "agent-li", via: "api" },
      {
        description: "X200 无法开机，充电无反应",
        customer: { name: "张先生", phone: "13800138000" },
        department: "tech",
        ...(state === "unowned" ? {} : { owner: "eng-liu" }),
        ...extra,
      },
    );
    if (state === "pending" || state === "unowned") return r;
    r = (await run(r, "eng-liu", "start", {})).record;
    if (state === "paused") return (await run(r, "eng-liu", "pause", { reason: "等客户寄回" })).record;
    if (state === "in_progress") return r;
    r = (await run(r, "eng-liu", "resolve", { solution: "更换主板" })).record;
    if (state === "resolved") return r;
    r = (await run(r, "agent-li", "confirm", { result: "confirmed" })).record;
    if (state === "confirmed") return r;
    return (await run(r, "agent-li", "survey", { resolutionScore: 1, attitudeScore: 2, method: "phone" }))
      .record;
  };

  const drain = async () => {
    for (let i = 0; i < 25; i++) {
      const r = await cl.dispatcher.runOnce();
      if (r.delivered === 0 && r.retried === 0 && r.held === 0) return;
      if (r.retried > 0 || r.held > 0) clock.advance(5_000);
      // Only waits are left (Feishu's five-a-second limit per chat counts real time): let some of it pass.
      if (r.delivered === 0 && r.retried > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  return {
    cl,
    clock,
    url,
    dataDir,
    logs,
    spy,
    ledger,
    sandbox,
    feishu: { emu: feishuEmu, platform: feishuPlatform, group: group.chat_id, users: fUsers },
    dingtalk: { emu: dingEmu, platform: dingPlatform, url: `${url}/dingtalk/events` },
    teams: { emu: teamsEmu, users: tUsers },
    dingUser: dingId,
    call,
    boardSession,
    ticket,
    drain,
    async stop() {
      cl.board.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await cl.close();
      await feishuEmu.stop();
      await dingEmu.stop();
      await teamsEmu.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
