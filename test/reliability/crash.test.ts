/**
 * Issue 11, scenario 2: the whole server under SIGKILL. A child process runs the real server (`closeloop
 * serve` through the CLI, embedded store, Feishu pointed at the local emulator in this process, an SLA policy
 * of seconds on a 24x7 calendar so stages fire during the run). While the test drives mixed load at it (API
 * creates and commands, chat messages through Feishu's webhook, card clicks), it is killed at a random moment,
 * again and again, and started again on the same data. Checked after every kill: the store opens and every
 * acknowledged command (answered 2xx) is in it. Checked at the end, after a last clean run: the outbox resumed
 * (nothing is left undelivered, and each notification shows on Feishu exactly once, matched through the
 * idempotency key each message carries), no SLA stage fired twice, every timeline folds to its state.
 *
 * Size: 50 kills (CLOSELOOP_RELIABILITY_SCALE=large: 200; CLOSELOOP_RELIABILITY_KILLS=n sets it exactly).
 * Seed: CLOSELOOP_RELIABILITY_SEED.
 * The next server is kept warm (modules loaded, see fixtures/serve-child.mjs) while the current one runs, and
 * the CLI is compiled once by esbuild for all of them (CLOSELOOP_RELIABILITY_CHILD=tsx: through tsx in each
 * process, exactly as bin/closeloop.js does; slower).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Low } from "lowdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uuidOf } from "../../adapters/feishu/api.ts";
import { FeishuEmulator } from "../../adapters/feishu/emulator/index.ts";
import { DurableJsonFile } from "../../adapters/storage/lowdb/durable-file.ts";
import { recover } from "../../adapters/storage/lowdb/recovery.ts";
import {
  emptySnapshot,
  type SnapshotData,
  serializeSnapshot,
} from "../../adapters/storage/lowdb/snapshot.ts";
import { LowdbTicketStore } from "../../adapters/storage/lowdb/store.ts";
import { DEFAULT_DIGEST_KINDS } from "../../core/notify/digest.ts";
import type { OutboxItem, TicketRecord } from "../../core/ports.ts";
import { FieldCipher } from "../../core/privacy/cipher.ts";
import { openInbound } from "../../core/privacy/sealed-inbox.ts";
import { buttonValue } from "../feishu/harness.ts";
import { seededRandom } from "../support/random.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";
import { pick, report, seedOf } from "./support/scale.ts";
import { timelineProblems } from "./support/timeline.ts";

const KILLS = Number(process.env.CLOSELOOP_RELIABILITY_KILLS) || pick(50, 200);
const ROOT = join(import.meta.dirname, "..", "..");
const SECRET_KEY = Buffer.alloc(32, 3);
const CIPHER = new FieldCipher(SECRET_KEY);
const CHILD = join(import.meta.dirname, "fixtures", "serve-child.mjs");
const TOKEN = "crash-test-api-token-0123456789";
const ENCRYPT_KEY = "crash-encrypt-key";
const VERIFICATION = "crash-verification-token";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEBUG = process.env.CLOSELOOP_RELIABILITY_DEBUG === "1";
/** A file that collects every server's log lines (debugging a failed run). */
const SERVER_LOG = process.env.CLOSELOOP_RELIABILITY_SERVER_LOG;
const t0 = Date.now();
const debug = (...args: unknown[]) => DEBUG && console.info(`[crash +${Date.now() - t0} ms]`, ...args);

/** What the server acknowledged, to be found in the store after any kill. */
interface Acked {
  /** Chat messages Feishu delivered and the server took (200): tag -> one ticket whose description has it. */
  readonly messages: Set<string>;
  /** Tickets created through the API (201): number -> tag. */
  readonly created: Map<string, string>;
  /** Changes acknowledged (API 200, card click answered with success): "number type actor [text]". */
  readonly changes: Set<string>;
}

interface Counts {
  requests: number;
  acked: number;
  refused: number;
  unanswered: number;
  killedEarly: number;
}

/** A server process: spawned warm, started on "GO", killed or stopped. */
class Server {
  readonly child: ChildProcessWithoutNullStreams;
  readonly warm: Promise<void>;
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  url: Promise<string>;
  stderr = "";
  #onLine: ((line: string) => void)[] = [];

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [CHILD, "serve", "--host", "127.0.0.1"], { cwd: ROOT, env });
    let buffered = "";
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (SERVER_LOG) appendFileSync(SERVER_LOG, `${line}\n`);
        for (const f of this.#onLine) f(line);
      }
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    this.closed = new Promise((resolve) =>
      this.child.on("close", (code, signal) => resolve({ code, signal })),
    );
    this.warm = this.#waitLine((l) => (l === "WARM" ? true : undefined)).then(() => undefined);
    this.warm.catch(() => undefined);
    this.url = Promise.resolve("");
  }

  #waitLine<T>(match: (line: string) => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const f = (line: string) => {
        const m = match(line);
        if (m !== undefined) {
          this.#onLine = this.#onLine.filter((x) => x !== f);
          resolve(m);
        }
      };
      this.#onLine.push(f);
      void this.closed.then(({ code, signal }) =>
        reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${this.stderr}`)),
      );
    });
  }

  go(): void {
    this.url = this.#waitLine((line) => {
      if (!line.startsWith("{")) return undefined;
      const log = JSON.parse(line) as { msg?: string; url?: string };
      return log.msg === "listening" ? log.url : undefined;
    });
    this.url.catch(() => undefined);
    this.child.stdin.write("GO\n");
  }

  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    const { signal } = await this.closed;
    if (signal !== "SIGKILL")
      throw new Error(`the server stopped by itself before the kill:\n${this.stderr}`);
  }

  async stop(): Promise<void> {
    this.child.kill("SIGTERM");
    const { code } = await this.closed;
    if (code !== 0) throw new Error(`the server did not stop cleanly (${code}):\n${this.stderr}`);
  }
}

describe("the server under SIGKILL, with mixed load", () => {
  let dir: string;
  let buildDir: string | undefined;
  let emu: FeishuEmulator;
  let env: NodeJS.ProcessEnv;
  const ids: Record<string, string> = {};
  let group = "";

  beforeAll(async () => {
    dir = await makeTmpDir("crash-server");
    // Two levels under the repository, like adapters/cli/: its relative file URLs and packages resolve the same.
    buildDir = join(ROOT, ".tmp", `reliability-${process.pid}`);
    if (process.env.CLOSELOOP_RELIABILITY_CHILD !== "tsx") {
      const { build } = await import("esbuild");
      await build({
        entryPoints: [join(ROOT, "adapters", "cli", "index.ts")],
        outfile: join(buildDir, "cli.mjs"),
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        packages: "external",
        logLevel: "warning",
      });
    }
    emu = new FeishuEmulator({ encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION, retryDelaysMs: [] });
    await emu.start();
    const people = [
      ["admin", "陈静"],
      ["api", "接口"],
      ["agent-li", "李娜"],
      ["head-support", "王芳"],
      ["head-tech", "张伟"],
      ...Array.from({ length: 6 }, (_, i) => [`eng-${i}`, `工程师${i}`]),
    ] as const;
    for (const [id, name] of people) ids[id] = emu.addUser({ name, user_id: id }).open_id;
    group = emu.addGroup("售后支持群", Object.values(ids)).chat_id;
    const engineers = people.filter(([id]) => id.startsWith("eng-")).map(([id]) => id);
    const config = {
      locale: "zh-CN",
      nudge: { window: "PT30M", urgent: true },
      notify: { digestWindow: "PT1S", deliveryTimeout: "PT5S" },
      directory: {
        departments: [
          { id: "support", name: "客服中心", head: "head-support", members: ["agent-li"] },
          { id: "tech", name: "技术支持组", head: "head-tech", parent: "support", members: engineers },
        ],
        people: people.map(([id, name]) => ({
          id,
          name,
          roles:
            id === "admin" || id === "api"
              ? ["admin"]
              : id.startsWith("eng-")
                ? ["engineer"]
                : id.startsWith("head")
                  ? ["head"]
                  : ["agent"],
          departments:
            id === "agent-li" || id === "head-support"
              ? ["support"]
              : id === "head-tech" || id.startsWith("eng-")
                ? ["tech"]
                : [],
          feishu: { openId: ids[id] },
        })),
      },
      // Seconds, round the clock: stages fire during the run (warn at 80 %, overdue, one level up).
      sla: {
        calendar: "24x7",
        policies: {
          urgent: { firstResponse: "PT2S", update: "P1D", resolution: "PT5S" },
          normal: { firstResponse: "PT3S", update: "P1D", resolution: "PT6S" },
          low: { firstResponse: "PT4S", update: "P1D", resolution: "PT8S" },
        },
        escalation: { repeatAfter: "PT3S", maxLevel: 2 },
      },
    };
    const configFile = join(dir, "closeloop.config.json");
    writeFileSync(configFile, JSON.stringify(config));
    env = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !/^(FEISHU|DINGTALK|TEAMS|CLOSELOOP)_|^PORT$|^DATABASE_URL$/.test(k)) env[k] = v;
    if (process.env.CLOSELOOP_RELIABILITY_CHILD !== "tsx")
      env.CLOSELOOP_RELIABILITY_ENTRY = join(buildDir, "cli.mjs");
    Object.assign(env, {
      PORT: "0",
      LOG_LEVEL: "info",
      CLOSELOOP_DATA_DIR: join(dir, "data"),
      CLOSELOOP_CONFIG: configFile,
      CLOSELOOP_SECRET_KEY: SECRET_KEY.toString("base64"),
      CLOSELOOP_API_TOKEN: TOKEN,
      FEISHU_APP_ID: emu.appId,
      FEISHU_APP_SECRET: emu.appSecret,
      FEISHU_VERIFICATION_TOKEN: VERIFICATION,
      FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
      FEISHU_DOMAIN: emu.url,
      FEISHU_MODE: "webhook",
    });
  });

  afterAll(async () => {
    await emu?.stop();
    if (dir) await removeDir(dir);
    if (buildDir) await removeDir(buildDir);
  });

  it(`keeps every acknowledged command across ${KILLS} kills, then delivers everything once`, {
    timeout: pick(600_000, 1_800_000),
  }, async () => {
    const seed = seedOf("crash");
    const rand = seededRandom(seed);
    const acked: Acked = { messages: new Set(), created: new Map(), changes: new Set() };
    const counts: Counts = { requests: 0, acked: 0, refused: 0, unanswered: 0, killedEarly: 0 };
    let tagSeq = 0;
    const tag = () => `T${String(++tagSeq).padStart(4, "0")}`;
    // Two servers warming at all times (on two cores one warms while the other runs); the last are unused.
    const spares: Server[] = [new Server(env), new Server(env)];

    for (let kill = 0; kill < KILLS; kill++) {
      const where = `seed ${seed}, kill ${kill + 1}`;
      const server = spares.shift()!;
      if (kill + spares.length < KILLS) spares.push(new Server(env));
      await server.warm;
      debug(where, "warm");
      server.go();
      // One run in eight dies while starting (opening the store, recovering); the rest under load.
      if (rand() < 0.125) {
        await sleep(20 + rand() * 300);
        await server.kill();
        counts.killedEarly += 1;
      } else {
        const url = await server.url;
        debug(where, "listening", url);
        emu.callbackUrl = `${url}/feishu/events`;
        let alive = true;
        const load = Array.from({ length: 3 }, () =>
          (async () => {
            while (alive) await act(url, rand, acked, counts, tag, () => alive);
          })(),
        );
        // A random moment once the load is under way (first acknowledgement), whatever the machine's pace.
        const before = counts.acked;
        for (let waited = 0; counts.acked === before && waited < 20_000; waited += 25) await sleep(25);
        await sleep(rand() * 600);
        alive = false;
        await server.kill();
        debug(where, "killed");
        await Promise.all(load);
        debug(where, "load stopped", counts);
      }
      // The store opens after the kill and holds everything acknowledged so far.
      const store = new LowdbTicketStore({ dir: join(dir, "data") });
      await store.open();
      try {
        expect(await missing(store, acked), where).toEqual([]);
      } finally {
        await store.close();
      }
    }
    for (const s of spares) s.child.kill("SIGKILL");

    // A last clean run: the outbox resumes and the SLA clock finishes; stopped when both are quiet.
    let state: Awaited<ReturnType<typeof readStore>> | undefined;
    for (let round = 0; round < 6; round++) {
      const server = new Server(env);
      await server.warm;
      server.go();
      emu.callbackUrl = `${await server.url}/feishu/events`;
      debug("final round", round);
      await quiet(emu, 12_000);
      await server.stop();
      state = await readStore(join(dir, "data"));
      debug("final round", round, "pending", state.pending.length, summary(state.pending));
      const busy =
        state.pending.length > 0 ||
        state.records.some((r) => r.state.nextDueAt && Date.parse(r.state.nextDueAt) < Date.now() + 60_000);
      if (!busy) break;
    }
    const { records, rows, pending } = state!;

    // Nothing acknowledged was lost; nothing is left undelivered; every timeline is consistent.
    expect(await missing(state!, acked, true)).toEqual([]);
    expect(pending.map((r) => `${r.key}: ${r.lastError}`)).toEqual([]);
    expect(records.flatMap(timelineProblems)).toEqual([]);
    const origins = records.map((r) => r.state.origin.messageId).filter(Boolean);
    expect(new Set(origins).size).toBe(origins.length);

    // Each notification shows on Feishu exactly once, and nothing else does.
    const personOf = (openId: string) => Object.entries(ids).find(([, o]) => o === openId)?.[0] ?? openId;
    expect(shownOnce(emu, rows, personOf)).toEqual([]);
    const buzzed = emu.urgent.map((u) => u.message_id);
    expect(new Set(buzzed).size).toBe(buzzed.length);

    // The run did what it is meant to: plenty acknowledged, SLA stages fired, kills early and late.
    const stages = records.flatMap((r) => r.events.filter((e) => e.type === "sla_stage"));
    debug("final", counts, "stages", stages.length, "tickets", records.length);
    expect(counts.acked).toBeGreaterThan(KILLS);
    expect(stages.length).toBeGreaterThan(0);
    if (KILLS >= 20) expect(counts.killedEarly).toBeGreaterThan(0);
    report("crash", {
      kills: KILLS,
      killedWhileStarting: counts.killedEarly,
      requests: counts.requests,
      acknowledged: counts.acked,
      refused: counts.refused,
      unanswered: counts.unanswered,
      tickets: records.length,
      slaStages: stages.length,
      notifications: rows.length,
      lost: 0,
    });

    // ---- the load ---------------------------------------------------------------------------------

    async function act(
      url: string,
      rnd: () => number,
      a: Acked,
      c: Counts,
      newTag: () => string,
      live: () => boolean,
    ): Promise<void> {
      const r = rnd();
      c.requests += 1;
      try {
        if (r < 0.3) await apiCreate(url, a, c, newTag());
        else if (r < 0.55) await chatCreate(a, c, newTag());
        else if (r < 0.8) await apiCommand(url, rnd, a, c);
        else await cardClick(rnd, a, c);
      } catch (e) {
        // the server died under the request: not acknowledged
        debug("unanswered:", (e as Error).message);
        c.unanswered += 1;
        if (live()) await sleep(5);
      }
    }

    async function api(url: string, path: string, body?: unknown) {
      const res = await fetch(url + path, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers field by field
      return { status: res.status, body: (await res.json()) as any };
    }

    async function apiCreate(url: string, a: Acked, c: Counts, t: string) {
      const res = await api(url, "/api/v1/tickets", {
        description: `${t} 客户来电：X100 手机无法开机，一直死机`,
        department: "tech",
        priority: ["urgent", "normal", "low"][t.charCodeAt(4) % 3],
      });
      if (res.status !== 201) throw new Error(`create: ${res.status}`);
      a.created.set(res.body.number, t);
      c.acked += 1;
    }

    async function chatCreate(a: Acked, c: Counts, t: string) {
      const sent = await emu.userSends({
        chatId: group,
        from: ids["agent-li"]!,
        text: `新工单 ${t} 客户张先生的X200手机无法开机，一直死机`,
        mentionBot: true,
      });
      if (sent.answer?.status !== 200) throw new Error("not taken");
      a.messages.add(t);
      c.acked += 1;
    }

    async function apiCommand(url: string, rnd: () => number, a: Acked, c: Counts) {
      const numbers = [...a.created.keys()];
      if (numbers.length === 0) return;
      const number = numbers[Math.floor(rnd() * numbers.length)]!;
      const got = await api(url, `/api/v1/tickets/${number}`);
      if (got.status !== 200) throw new Error(`get: ${got.status}`);
      const choice = rnd();
      const text = `备注 ${number} ${Math.floor(rnd() * 1e9)}`;
      const [command, body, change] =
        choice < 0.4
          ? ["comment", { text, version: got.body.version }, `${number} commented api ${text}`]
          : choice < 0.7
            ? ["start", { version: got.body.version }, `${number} started api`]
            : [
                "resolve",
                { version: got.body.version, solution: "远程指导后恢复" },
                `${number} resolved api`,
              ];
      const res = await api(url, `/api/v1/tickets/${number}/${command}`, body);
      if (res.status === 200) {
        a.changes.add(change);
        c.acked += 1;
      } else if ([409, 422].includes(res.status)) c.refused += 1;
      else throw new Error(`${command}: ${res.status}`);
    }

    async function cardClick(rnd: () => number, a: Acked, c: Counts) {
      const cards = emu
        .botMessages()
        .filter(
          (m) =>
            m.chat_id === group &&
            m.msg_type === "interactive" &&
            buttonValue(emu.cardOf(m.message_id), "nudge"),
        );
      if (cards.length === 0) return;
      const card = cards[Math.floor(rnd() * cards.length)]!;
      const nudge = rnd() < 0.4;
      const value = buttonValue(emu.cardOf(card.message_id), nudge ? "nudge" : "start");
      if (!value) return;
      const who = nudge
        ? "agent-li"
        : (["eng-0", "eng-1", "eng-2", "eng-3", "eng-4", "eng-5", "head-tech"] as const)[
            Math.floor(rnd() * 7)
          ]!;
      const answer = await emu.clickCard({ messageId: card.message_id, operator: ids[who]!, value });
      if (answer.status !== 200) throw new Error("not answered");
      const toast = (answer.body as { toast?: { type: string } }).toast;
      if (toast?.type === "success") {
        a.changes.add(`${value.ticket} ${nudge ? "nudged" : "started"} ${who}`);
        c.acked += 1;
      } else c.refused += 1;
    }
  });
});

// ---- checks ---------------------------------------------------------------------------------------------

/**
 * What is acknowledged but not in the store. A chat message the server took may still wait in the durable
 * inbox (an undelivered row), unless `final`: then it must have made its one ticket.
 */
/** Pending rows by kind and last error, for the debug log. */
function summary(rows: readonly OutboxItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = `${r.kind} ${r.recipient.split(":")[0]} a${Math.min(r.attempts, 9)} ${(r.lastError ?? "").slice(0, 40)}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Every ticket in the store, page by page (a page holds at most a few hundred). */
async function allRecords(store: LowdbTicketStore): Promise<TicketRecord[]> {
  const all: TicketRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 200, includeArchived: true, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function missing(
  store: LowdbTicketStore | { records: readonly TicketRecord[] },
  acked: Acked,
  final = false,
): Promise<string[]> {
  const records = "records" in store ? store.records : await allRecords(store);
  const inbox =
    "records" in store
      ? []
      : (await store.dueOutbox("9999-12-31T00:00:00.000Z", 100_000))
          .filter((r) => r.kind === "inbound")
          .map((r) => JSON.stringify(openInbound(CIPHER, r).payload));
  const byNumber = new Map(records.map((r) => [r.state.number, r]));
  const problems: string[] = [];
  for (const t of acked.messages) {
    const found = records.filter(
      (r) => r.state.origin.platform === "feishu" && r.state.description.includes(t),
    );
    const waiting = !final && inbox.some((p) => p.includes(t));
    if (found.length > 1) problems.push(`message ${t}: ${found.length} tickets`);
    if (found.length === 0 && !waiting) problems.push(`message ${t}: neither a ticket nor in the inbox`);
  }
  for (const [number, t] of acked.created) {
    const r = byNumber.get(number);
    if (!r) problems.push(`created ${number} (${t}): missing`);
    else if (!r.state.description.includes(t)) problems.push(`created ${number}: not ${t}`);
  }
  for (const change of acked.changes) {
    const [number, type, actor, ...rest] = change.split(" ");
    const text = rest.join(" ");
    const r = byNumber.get(number!);
    const found = r?.events.some(
      (e) =>
        e.type === type && e.actor === actor && (text === "" || (e.type === "commented" && e.text === text)),
    );
    if (!found) problems.push(`change ${change}: missing`);
  }
  return problems;
}

/** The store as the last server left it: records, and every outbox row (delivered ones too). */
async function readStore(dataDir: string) {
  const store = new LowdbTicketStore({ dir: dataDir });
  await store.open();
  const records = await allRecords(store);
  await store.close();
  const snapshot = new Low<SnapshotData>(
    new DurableJsonFile<SnapshotData>(join(dataDir, "snapshot.json"), { serialize: serializeSnapshot }),
    emptySnapshot(),
  );
  const { state } = await recover(dataDir, snapshot);
  const rows = state.outbox.rows();
  return { records, rows, pending: rows.filter((r) => r.deliveredAt === undefined) };
}

/**
 * Every delivered notification row shows on Feishu exactly once, every chat message the server took got at
 * most one answer, and the emulator holds no other message: returns what does not hold. A message is matched
 * by its uuid, which the server derives from the outbox key: one row's key, or for a digest (several alerts
 * for one person in one message) the keys of its rows in order. A person's alerts go in creation order, so
 * each digest is the next alerts of theirs not yet shown, as many as its title counts.
 */
function shownOnce(
  emu: FeishuEmulator,
  rows: readonly OutboxItem[],
  personOf: (openId: string) => string,
): string[] {
  const digestKinds = new Set(DEFAULT_DIGEST_KINDS);
  const delivered = rows.filter((r) => r.deliveredAt && r.kind !== "card_update" && r.kind !== "inbound");
  const single = new Map(delivered.map((r) => [uuidOf(r.key), r]));
  const replies = new Set<string>();
  for (const row of rows)
    if (row.kind === "inbound" && row.deliveredAt) {
      // Inbound rows are sealed at rest: opened with the server's key.
      const { payload } = openInbound(CIPHER, row);
      const message = (payload.event as { message?: { message_id?: string } } | undefined)?.message;
      if (message?.message_id) replies.add(uuidOf(`feishu:reply:${message.message_id}`));
    }
  const alerts = new Map<string, OutboxItem[]>();
  for (const r of delivered)
    if (digestKinds.has(r.kind)) alerts.set(r.recipient, [...(alerts.get(r.recipient) ?? []), r]);
  for (const list of alerts.values())
    list.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.key < b.key ? -1 : 1));
  const shown = new Map<string, number>();
  const problems: string[] = [];
  for (const m of emu.botMessages()) {
    if (!m.uuid) {
      problems.push(`a message without an idempotency key: ${m.content.slice(0, 80)}`);
      continue;
    }
    let keys: string[] | undefined;
    if (single.has(m.uuid)) keys = [single.get(m.uuid)!.key];
    else if (replies.has(m.uuid)) keys = [];
    else {
      // A digest's uuid names its rows: the person's alerts, consecutive in creation order, as many as its
      // title counts. Usually the next ones not yet shown; any run of them is looked at.
      const chat = emu.chats.get(m.chat_id);
      const person = chat?.type === "p2p" ? personOf([...chat.members][0]!) : "";
      const all = alerts.get(person) ?? [];
      const n = Number(/（(\d+) 条）/.exec(m.content)?.[1] ?? 0);
      const first = Math.max(
        0,
        all.findIndex((r) => !shown.has(r.key)),
      );
      const starts = [first, ...all.keys()];
      const at = n > 1 ? starts.find((i) => uuidOf(`digest:${windowKeys(all, i, n)}`) === m.uuid) : undefined;
      if (at !== undefined) keys = all.slice(at, at + n).map((r) => r.key);
      // Rows not yet due when a digest went (a later notBefore, a retry) are skipped by it and go in a later
      // one: a digest's rows are those settled together. Each row is settled on its own, so a kill between
      // two of them leaves the rest to the retry after the restart (the same digest, by its claim): its rows
      // can span adjacent delivery times.
      if (!keys && n > 1) keys = settledTogether(all, n, m.uuid);
    }
    if (!keys) problems.push(`a message no delivered row explains: ${m.content.slice(0, 120)}`);
    else for (const k of keys) shown.set(k, (shown.get(k) ?? 0) + 1);
  }
  for (const row of delivered) {
    const n = shown.get(row.key) ?? 0;
    if (n !== 1) problems.push(`${row.key}: shown ${n} times`);
  }
  return problems;
}

/** The keys of `n` rows settled at one delivery time or a run of adjacent ones whose digest uuid is `uuid`. */
function settledTogether(all: readonly OutboxItem[], n: number, uuid: string): string[] | undefined {
  const times = [...new Set(all.map((r) => r.deliveredAt!))].sort();
  for (let first = 0; first < times.length; first++) {
    const span = new Set<string>();
    for (let last = first; last < times.length && span.size < n; last++) {
      span.add(times[last]!);
      const rows = all.filter((r) => span.has(r.deliveredAt!));
      if (rows.length > n) break;
      if (rows.length === n && uuidOf(`digest:${windowKeys(rows, 0, n)}`) === uuid)
        return rows.map((r) => r.key);
    }
  }
  return undefined;
}

const windowKeys = (rows: readonly OutboxItem[], at: number, n: number): string =>
  rows
    .slice(at, at + n)
    .map((r) => r.key)
    .join("|");

/** Until the emulator has taken no new message, buzz or card update for a while (bounded). */
async function quiet(emu: FeishuEmulator, atLeastMs: number, limitMs = 120_000): Promise<void> {
  const fingerprint = () =>
    `${emu.messages.size}/${emu.urgent.length}/${[...emu.messages.values()].reduce((s, m) => s + m.updates, 0)}`;
  const started = Date.now();
  let last = fingerprint();
  let since = Date.now();
  while (Date.now() - started < limitMs) {
    await sleep(250);
    const now = fingerprint();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since > 3000 && Date.now() - started > atLeastMs) return;
  }
}
