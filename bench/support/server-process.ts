/**
 * The closeloop server under test, in its own process (its own event loop and core, its own RSS), started by
 * bench/support/world.ts with fork(). Two modes:
 *   seed  — adds `count` tickets to the data directory through the real ticket service, then exits;
 *   serve — the real composition root (main.ts) with the Feishu and Teams adapters pointed at the emulators
 *           the driver runs, plus POST /bench/bare: a bare hono route on the same server that answers with
 *           a card of the same size without verifying or storing anything, and POST /bench/checked/*: the
 *           same with the platform's request checks made (checked-route.ts). It answers the driver over IPC.
 */
import { createWriteStream } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { performance as nodePerformance } from "node:perf_hooks";
import { serve as serveNode } from "@hono/node-server";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { feishuModule } from "../../adapters/feishu/module.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import type { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import { openStore } from "../../adapters/storage/select.ts";
import { teamsModule } from "../../adapters/teams/index.ts";
import { configSchema } from "../../core/config/schema.ts";
import { Directory } from "../../core/directory/directory.ts";
import type { OutboxIntent, TicketRecord } from "../../core/ports.ts";
import { systemClock } from "../../core/ports.ts";
import { FieldCipher, parseKey } from "../../core/privacy/cipher.ts";
import { routingPlanner } from "../../core/routing/planner.ts";
import { SlaPlanner } from "../../core/sla/planner.ts";
import { formatNumber } from "../../core/ticket/numbering.ts";
import { TicketService } from "../../core/ticket/service.ts";
import { buildCloseloop } from "../../main.ts";
import { mountCheckedRoutes } from "./checked-route.ts";
import { measure } from "./measure.ts";
import { AGENTS, benchDirectory, DEPARTMENTS, ENGINEERS, SECRET_KEY } from "./people.ts";

export interface ServerSpec {
  readonly dataDir: string;
  /** Extra people who only receive notifications (the fan-out). */
  readonly fanout: number;
  /** The share of them on Feishu (the others are on Teams). */
  readonly fanoutSplit?: number;
  /** FEISHU_* and TEAMS_* pointing at the driver's emulators. */
  readonly platformEnv: Record<string, string>;
}

export type Request =
  | { readonly op: "memory" }
  | { readonly op: "bare"; readonly body: string }
  | { readonly op: "enqueue"; readonly intents: readonly OutboxIntent[] }
  | { readonly op: "outbox"; readonly dueOnly?: boolean }
  | { readonly op: "statuses"; readonly numbers: readonly string[] }
  | { readonly op: "tickets" }
  | { readonly op: "busy" };

const spec = JSON.parse(process.env.BENCH_SPEC ?? "{}") as ServerSpec;
const PRIORITIES = ["normal", "normal", "urgent", "low"] as const;
const config = () => configSchema.parse({ directory: benchDirectory(spec.fanout, spec.fanoutSplit).data });

/** Ticket `i`: what an agent would type, with a phone number to seal, into a department, by priority. */
export function ticketInput(i: number) {
  const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
  return {
    agent: `agent-${(i % AGENTS) + 1}`,
    owner: `eng-${department}-${(Math.floor(i / DEPARTMENTS.length) % ENGINEERS) + 1}`,
    description: `客户反映第 ${i} 号订单的设备无法开机，已尝试更换插座和充电线。Device ${i} will not power on after the update.`,
    customer: {
      name: `客户${i}`,
      phone: `138${String(10_000_000 + (i % 90_000_000)).slice(-8)}`,
      type: i % 10 === 0 ? ("vip" as const) : ("returning" as const),
    },
    department,
    priority: PRIORITIES[i % PRIORITIES.length],
  };
}

/**
 * Seeding: one ticket per (department, priority, owner) goes through the real ticket service
 * (classification, sealing, SLA deadlines as the server plans them, so it finds nothing to re-plan at
 * start-up), without notifications (nobody is told about seeded tickets). The others copy the events of
 * the ticket of their kind with their own number, description and customer name: the same store writes at
 * a fraction of the cost (the service spends ~2 ms of CPU per ticket, mostly on the business calendar).
 */
async function seed(count: number): Promise<void> {
  const cfg = config();
  const directory = new Directory(cfg.directory!);
  const store = (await openStore({
    dataDir: spec.dataDir,
    clock: systemClock,
    onBackgroundError: (e) => console.error(e),
  })) as LowdbTicketStore;
  const service = new TicketService({
    store,
    directory,
    cipher: new FieldCipher(parseKey(SECRET_KEY)),
    clock: systemClock,
    settings: { numberPrefix: cfg.numberPrefix, timeZone: cfg.timezone, nudgeWindowMs: 30 * 60_000 },
    planner: routingPlanner(cfg.routing, "support", async () => ({})),
    sla: new SlaPlanner(cfg.sla, directory),
    lowScore: cfg.sla.followUp.lowScore,
  });
  const base = store.stats().hot;
  const templates = new Map<string, Promise<TicketRecord>>();
  await measure(count, 4096, async (n) => {
    const i = base + n;
    const { agent, ...input } = ticketInput(i);
    const key = `${input.department}|${input.priority}|${input.owner}`;
    let template = templates.get(key);
    if (!template) {
      template = service.create({ actor: agent, via: "api" }, input);
      templates.set(key, template);
      await template;
      return;
    }
    const t = await template;
    const prefix = cfg.numberPrefix;
    const period = t.state.number.slice(prefix.length, prefix.length + 6);
    await store.create(period, (seq) => {
      const number = formatNumber(prefix, period, seq);
      const events = t.events.map((e) =>
        e.type === "created"
          ? {
              ...e,
              number,
              description: input.description,
              customer: { ...e.customer, name: input.customer.name },
            }
          : e,
      );
      return { events };
    });
  });
  await store.close();
}

async function serve(): Promise<void> {
  const cfg = config();
  const logFile = createWriteStream(join(spec.dataDir, "server.log"));
  const env = { ...spec.platformEnv, CLOSELOOP_DATA_DIR: spec.dataDir };
  const cl = await buildCloseloop({
    config: cfg,
    env: readEnvironment({ ...env, CLOSELOOP_SECRET_KEY: SECRET_KEY, PORT: "0" }),
    logger: createLogger({ destination: logFile, level: process.env.LOG_LEVEL ?? "info" }),
    platformModules: [feishuModule, teamsModule()],
    processEnv: env,
  });
  let bare = "{}";
  cl.app.post("/bench/bare", async (c) => {
    await c.req.text();
    return c.body(bare, 200, { "content-type": "application/json; charset=utf-8" });
  });
  mountCheckedRoutes(cl.app, env, () => bare);
  const server = await new Promise<ReturnType<typeof serveNode>>((resolve) => {
    const s = serveNode({ fetch: cl.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  cl.startBackground();
  const store = cl.store as LowdbTicketStore;
  const answer = async (req: Request): Promise<unknown> => {
    switch (req.op) {
      case "memory": {
        (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        return { rss: m.rss, heapUsed: m.heapUsed, tickets: store.stats().hot };
      }
      case "bare":
        bare = req.body;
        return {};
      case "busy": {
        // the event loop's utilisation over the next second
        const start = nodePerformance.eventLoopUtilization();
        await new Promise((r) => setTimeout(r, 1000));
        return nodePerformance.eventLoopUtilization(start).utilization;
      }
      case "enqueue":
        return { added: await store.enqueue(req.intents) };
      case "outbox": {
        const until = req.dueOnly ? new Date(Date.now() + 2000).toISOString() : "9999-12-31T23:59:59.999Z";
        const due = await store.dueOutbox(until, 1_000_000);
        return { pending: due.length, inbound: due.filter((r) => r.recipient.startsWith("inbound:")).length };
      }
      case "statuses": {
        const out: Record<string, string> = {};
        for (const n of req.numbers) {
          const r = await store.get(n);
          out[n] = r ? `${r.state.status}:${r.state.nudges.count}` : "missing";
        }
        return out;
      }
      case "tickets": {
        // every ticket in the hot set, by number: seeded numbers run 1..n in the seeding month
        const newest = (await store.list({ limit: 1 })).items[0]?.state.number ?? "";
        const period = newest.slice(cfg.numberPrefix.length, cfg.numberPrefix.length + 6);
        const out = [];
        for (let seq = 1; ; seq++) {
          const r = await store.get(formatNumber(cfg.numberPrefix, period, seq));
          if (!r) break;
          const s = r.state;
          out.push({
            number: s.number,
            owner: s.owner ?? "",
            version: s.version,
            status: s.status,
            department: s.department,
          });
        }
        return out;
      }
    }
  };
  process.on("message", (msg: { id: number; req: Request }) => {
    answer(msg.req).then(
      (value) => process.send?.({ id: msg.id, value }),
      (e: unknown) => process.send?.({ id: msg.id, error: String((e as Error)?.stack ?? e) }),
    );
  });
  process.on("disconnect", () => {
    server.close();
    cl.close().finally(() => process.exit(0));
  });
  process.send?.({ ready: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

const mode = process.argv[2];
if (mode === "seed") {
  await seed(Number(process.argv[3]));
  process.exit(0);
} else await serve();
