/**
 * The benchmark world, driver side: the local Feishu and Teams (in this process, as the platforms are
 * outside the server), and the closeloop server under test in a child process (bench/support/server-process.ts)
 * holding a seeded embedded store. Requests are signed here as the platforms sign them.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FeishuEmulator } from "../../adapters/feishu/emulator/index.ts";
import { type SignedRequest, signedRequest } from "../../adapters/feishu/emulator/push.ts";
import { type EmulatedUser, TeamsEmulator } from "../../adapters/teams/emulator/index.ts";
import { type BenchDirectory, benchDirectory, FEISHU, openIdOf } from "./people.ts";
import type { Request, ServerSpec } from "./server-process.ts";

const SERVER = new URL("./server-process.ts", import.meta.url).pathname;
const log = (line: string) => process.stderr.write(`${line}\n`);

export interface TicketInfo {
  readonly number: string;
  readonly owner: string;
  readonly version: number;
  readonly status: string;
  readonly department: string;
}

export interface World {
  readonly url: string;
  readonly feishu: FeishuEmulator;
  readonly teams: TeamsEmulator;
  readonly directory: BenchDirectory;
  readonly teamsUsers: ReadonlyMap<string, EmulatedUser>;
  readonly dataDir: string;
  readonly pid: number;
  call<T = unknown>(req: Request): Promise<T>;
  /** Adds tickets through a seeding process, then restarts the server on the grown store. */
  grow(total: number): Promise<void>;
  stop(): Promise<void>;
}

/** The child's CPU profile goes here when BENCH_CPU_PROF names a directory. */
const execArgv = () => [
  "--import",
  "tsx",
  "--expose-gc",
  ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(" ") : []),
  ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
];

function runSeeder(spec: ServerSpec, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(SERVER, ["seed", String(count)], {
      execArgv: ["--import", "tsx"],
      env: { ...process.env, BENCH_SPEC: JSON.stringify(spec), DATABASE_URL: "" },
      stdio: "inherit",
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`seeder exited with ${code}`))));
  });
}

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>;
}

function startServer(spec: ServerSpec): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = fork(SERVER, ["serve"], {
      execArgv: execArgv(),
      env: { ...process.env, BENCH_SPEC: JSON.stringify(spec), DATABASE_URL: "" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const pending: Running["pending"] = new Map();
    child.on("message", (m: { ready?: string; id?: number; value?: unknown; error?: string }) => {
      if (m.ready) resolve({ child, url: m.ready, pending });
      else if (m.id !== undefined) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error));
        else p?.resolve(m.value);
      }
    });
    child.on("exit", (code) => {
      for (const p of pending.values()) p.reject(new Error(`server exited with ${code}`));
      reject(new Error(`server exited with ${code} before it was ready`));
    });
  });
}

async function stopServer(r: Running): Promise<void> {
  const exited = new Promise((resolve) => r.child.once("exit", resolve));
  r.child.disconnect();
  await exited;
}

/**
 * Starts the emulators and a server on a store of `tickets` tickets (seeded first), with `fanout` extra
 * notification recipients in the directory.
 */
export async function startWorld(opts: {
  tickets: number;
  fanout?: number;
  fanoutSplit?: number;
}): Promise<World> {
  const directory = benchDirectory(opts.fanout ?? 0, opts.fanoutSplit);
  const feishu = new FeishuEmulator({
    appId: FEISHU.appId,
    appSecret: FEISHU.appSecret,
    verificationToken: FEISHU.verificationToken,
    encryptKey: FEISHU.encryptKey,
    retryDelaysMs: [],
  });
  await feishu.start();
  const teams = await new TeamsEmulator().start();
  const teamsUsers = new Map<string, EmulatedUser>();
  directory.people.forEach((p) => {
    if (p.feishu) feishu.addUser({ open_id: openIdOf(p.id), user_id: p.id, name: p.name });
    if (p.teams) teamsUsers.set(p.id, teams.addUser({ aadObjectId: p.teams.aadObjectId, name: p.name }));
  });
  const dataDir = mkdtempSync(join(tmpdir(), "closeloop-bench-"));
  const spec: ServerSpec = {
    dataDir,
    fanout: opts.fanout ?? 0,
    ...(opts.fanoutSplit === undefined ? {} : { fanoutSplit: opts.fanoutSplit }),
    platformEnv: {
      FEISHU_APP_ID: feishu.appId,
      FEISHU_APP_SECRET: feishu.appSecret,
      FEISHU_VERIFICATION_TOKEN: FEISHU.verificationToken,
      FEISHU_ENCRYPT_KEY: FEISHU.encryptKey,
      FEISHU_DOMAIN: feishu.url,
      FEISHU_MODE: "webhook",
      ...teams.env(),
    },
  };
  let seeded = 0;
  const seedTo = async (total: number) => {
    if (total <= seeded) return;
    const t0 = performance.now();
    await runSeeder(spec, total - seeded);
    log(
      `seeded ${total - seeded} tickets (${total} in all) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    seeded = total;
  };
  await seedTo(opts.tickets);
  let running = await startServer(spec);
  let nextId = 0;
  const world: World = {
    get url() {
      return running.url;
    },
    feishu,
    teams,
    directory,
    teamsUsers,
    dataDir,
    get pid() {
      return running.child.pid!;
    },
    call<T>(req: Request): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        running.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        running.child.send({ id, req });
      });
    },
    async grow(total) {
      await stopServer(running);
      await seedTo(total);
      running = await startServer(spec);
    },
    async stop() {
      await stopServer(running);
      await feishu.stop();
      await teams.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  feishu.callbackUrl = `${running.url}/feishu/events`;
  teams.botUrl = `${running.url}/teams/messages`;
  return world;
}

// --- requests as the platforms send them -------------------------------------------------------------

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** A Feishu v2 envelope, as the platform pushes it (header token, app id, tenant). */
export function feishuEnvelope(world: World, eventType: string, event: unknown): Record<string, unknown> {
  return {
    schema: "2.0",
    header: {
      event_id: `ev_${hex(16)}`,
      event_type: eventType,
      create_time: String(Date.now()),
      token: FEISHU.verificationToken,
      app_id: world.feishu.appId,
      tenant_key: world.feishu.tenantKey,
    },
    event,
  };
}

/** A tap on a card button: encrypted and signed as Feishu sends it (the signature is fresh for 5 minutes). */
export function feishuCardClick(
  world: World,
  o: { operator: string; value: Record<string, unknown>; messageId: string; chatId: string },
): SignedRequest {
  const event = {
    operator: { open_id: openIdOf(o.operator), user_id: o.operator, tenant_key: world.feishu.tenantKey },
    token: `c-${hex(16)}`,
    action: { tag: "button", value: o.value, timezone: "Asia/Shanghai" },
    host: "im_message",
    context: { open_message_id: o.messageId, open_chat_id: o.chatId },
  };
  return signedRequest(feishuEnvelope(world, "card.action.trigger", event), FEISHU.encryptKey);
}

/** A group message that @mentions the bot, registered in the local Feishu so the bot can reply to it. */
export function feishuMention(
  world: World,
  o: { from: string; chatId: string; text: string },
): SignedRequest {
  const emu = world.feishu;
  const messageId = `om_${hex(16)}`;
  const text = `@_user_1 ${o.text}`;
  const mentions = [{ key: "@_user_1", id: { open_id: emu.botOpenId }, name: emu.botName }];
  emu.messages.set(messageId, {
    message_id: messageId,
    chat_id: o.chatId,
    sender: openIdOf(o.from),
    msg_type: "text",
    content: JSON.stringify({ text }),
    create_time: Date.now(),
    mentions,
    updates: 0,
    recalled: false,
  });
  const event = {
    sender: {
      sender_id: { open_id: openIdOf(o.from), user_id: o.from },
      sender_type: "user",
      tenant_key: emu.tenantKey,
    },
    message: {
      message_id: messageId,
      chat_id: o.chatId,
      chat_type: "group",
      message_type: "text",
      content: JSON.stringify({ text }),
      mentions: mentions.map((m) => ({
        ...m,
        id: { ...m.id, union_id: "", user_id: "" },
        tenant_key: emu.tenantKey,
      })),
      create_time: String(Date.now()),
    },
  };
  return signedRequest(feishuEnvelope(world, "im.message.receive_v1", event), FEISHU.encryptKey);
}

/** A click on an Action.Execute button in a person's 1:1 chat, with the channel's bearer token. */
export function teamsExecute(
  world: World,
  token: string,
  o: { from: string; verb: string; data: Record<string, unknown> },
): SignedRequest {
  const user = world.teamsUsers.get(o.from);
  if (!user) throw new Error(`${o.from} is not on Teams`);
  const conversation = `a:1${user.aadObjectId.replace(/-/g, "")}`;
  const activity = world.teams.execute(user, conversation, `1${hex(6)}`, o.verb, o.data);
  return {
    body: JSON.stringify(activity),
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  };
}
