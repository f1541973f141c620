/**
 * Card actions and ticket creation from chat, against a server holding BENCH_TICKETS (default 100,000)
 * tickets in the embedded store, each beside a bare hono route on the same server that answers with the same
 * bytes without verifying or storing anything (POST /bench/bare), fed the same requests.
 *
 * - Card actions: signed, encrypted Feishu card callbacks (card.action.trigger) and Teams Action.Execute
 *   invokes with the channel's JWT, fired by autocannon at 50 and 200 connections. Each is a real
 *   transition (the owner taps Start on a pending ticket) or a nudge (an agent taps Nudge), each on a ticket
 *   of its own, so nothing is refused unless the pool runs out; the server is asked afterwards which
 *   tickets really moved. Target: at least half the bare route's throughput, p99 under 25 ms.
 * - Creation: signed Feishu message events that @mention the bot ("新工单 …"), unique message ids, from
 *   agents in 200 group chats. The HTTP answer is the acknowledgement (the event is stored in the durable
 *   inbox); tickets are then made and their cards posted to the local Feishu, which is waited for and
 *   counted: "created/s end to end".
 *
 * Run: npm run bench:actions   (BENCH_TICKETS=10000 BENCH_DURATION=5 for a quick run;
 *      BENCH_PARTS=actions or BENCH_PARTS=create for one half; BENCH_CONNECTIONS=50,200;
 *      BENCH_PLATFORMS=feishu or teams for one platform's card actions)
 */
import { fire, type LoadFigures, type Prepared } from "./support/load.ts";
import { ms, rate } from "./support/measure.ts";
import { commandLine, type Row, render, writeResults } from "./support/report.ts";
import {
  feishuCardClick,
  feishuMention,
  startWorld,
  type TicketInfo,
  teamsExecute,
  type World,
} from "./support/world.ts";

export const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "50,200").split(",").map(Number);
const CREATE_PER_RUN = Number(process.env.BENCH_CREATE ?? 3000);
const DRAIN_S = Number(process.env.BENCH_DRAIN_S ?? 180);
/** Every NUDGE_EVERY-th click is a nudge by an agent; the others are Start by the owner. */
const NUDGE_EVERY = 7;
const CHATS = 200;
const log = (line: string) => process.stderr.write(`${line}\n`);

type Platform = "feishu" | "teams";
const PATHS: Record<Platform, string> = { feishu: "/feishu/events", teams: "/teams/messages" };
/** The same requests through the platform's checks only (bench/support/checked-route.ts). */
const CHECKED: Record<Platform, string> = { feishu: "/bench/checked/feishu", teams: "/bench/checked/teams" };
const LABEL: Record<Platform, string> = {
  feishu: "Feishu card callback",
  teams: "Teams Action.Execute",
};

interface Click {
  readonly ticket: string;
  readonly action: "start" | "nudge";
  readonly req: Prepared;
}

/** Held to: half the bare route's throughput or more, and p99 under 25 ms. */
function verdict(real: LoadFigures, bare: LoadFigures): "ok" | "BELOW" {
  return real.perSecond >= bare.perSecond / 2 && real.p99 < 25 ? "ok" : "BELOW";
}

const percentOf = (a: LoadFigures, b: LoadFigures) =>
  b.perSecond > 0 ? `${((a.perSecond / b.perSecond) * 100).toFixed(0)}%` : "?";

function figures(f: LoadFigures) {
  return { perSecond: rate(f.perSecond), p50: ms(f.p50), p99: ms(f.p99) };
}

async function buildClicks(world: World, platform: Platform, list: readonly TicketInfo[]): Promise<Click[]> {
  const agents = world.directory.agents;
  const token =
    platform === "teams" ? await world.teams.issuer.channelToken(world.teams.serviceUrl, { ttlS: 3600 }) : "";
  return list.map((t, i) => {
    const nudge = i % NUDGE_EVERY === NUDGE_EVERY - 1;
    const actor = nudge ? agents[i % agents.length]! : t.owner;
    const action = nudge ? ("nudge" as const) : ("start" as const);
    const req =
      platform === "feishu"
        ? feishuCardClick(world, {
            operator: actor,
            value: { action, ticket: t.number, version: t.version },
            messageId: `om_card_${t.number}`,
            chatId: "oc_bench_cards",
          })
        : teamsExecute(world, token, {
            from: actor,
            verb: action,
            data: { ticket: t.number, version: t.version },
          });
    return { ticket: t.number, action, req };
  });
}

/** How the platform's client would read the answer: the click worked, or it was refused. */
function classifier(platform: Platform, sample: { body?: string }) {
  return (status: number, body: string) => {
    if (status !== 200) return `http ${status}`;
    try {
      const b = JSON.parse(body) as { toast?: { type?: string }; type?: string };
      const ok =
        platform === "feishu"
          ? b.toast?.type === "success"
          : b.type === "application/vnd.microsoft.card.adaptive";
      if (ok && sample.body === undefined) sample.body = body;
      return ok ? "ok" : "refused";
    } catch {
      return "unreadable";
    }
  };
}

/** Which of the clicks really changed their ticket (by index), asked of the server after the run. */
async function applied(world: World, clicks: readonly Click[]): Promise<Set<number>> {
  const states = await world.call<Record<string, string>>({
    op: "statuses",
    numbers: clicks.map((c) => c.ticket),
  });
  const moved = new Set<number>();
  clicks.forEach((c, i) => {
    const [status, nudges] = (states[c.ticket] ?? "").split(":");
    if (c.action === "start" ? status === "in_progress" : Number(nudges) > 0) moved.add(i);
  });
  return moved;
}

/**
 * What became of the clicks sent: applied by the server; answered "ok" yet not applied (lost: must be 0);
 * refused; and cut off by the end of the run before an answer was read (applied or not).
 */
function clickAccount(used: readonly Click[], moved: ReadonlySet<number>, f: LoadFigures): string {
  let acknowledged = 0;
  let lost = 0;
  let refused = 0;
  for (const [i, kind] of f.answered) {
    if (i >= used.length) continue;
    if (kind !== "ok") refused++;
    else {
      acknowledged++;
      if (!moved.has(i)) lost++;
    }
  }
  const nudges = used.filter((c) => c.action === "nudge").length;
  return (
    `${moved.size} applied (${used.length - nudges} starts, ${nudges} nudges sent); ` +
    `${acknowledged} answered ok, lost ${lost}; ${refused} refused; ` +
    `${Math.max(0, used.length - acknowledged - refused)} cut off unanswered at the end; ` +
    `${f.errors} errors or timeouts`
  );
}

export async function cardActions(world: World, rows: Row[]): Promise<void> {
  await quiet(world);
  const tickets = (await world.call<TicketInfo[]>({ op: "tickets" })).filter((t) => t.status === "pending");
  const platforms = (process.env.BENCH_PLATFORMS ?? "feishu,teams").split(",") as Platform[];
  const warm = Math.min(1500, Math.floor(tickets.length / 20));
  const slice = Math.floor(
    (tickets.length - warm * platforms.length) / (platforms.length * CONNECTIONS.length),
  );
  let cursor = 0;
  const take = (n: number) => {
    const part = tickets.slice(cursor, cursor + n);
    cursor += n;
    return part;
  };
  for (const platform of platforms) {
    const sample: { body?: string } = {};
    const classify = classifier(platform, sample);
    const warmup = (await buildClicks(world, platform, take(warm))).map((c) => c.req);
    const warmUp = (path: string, check?: typeof classify) =>
      fire({
        url: world.url,
        path,
        connections: 50,
        amount: warmup.length,
        requests: warmup,
        classify: check,
      });
    await warmUp(PATHS[platform], classify);
    // the real answers warmed up first: the bare route answers with the bytes of one of them
    await world.call({ op: "bare", body: sample.body ?? "{}" });
    await warmUp("/bench/bare");
    await warmUp(CHECKED[platform]);
    for (const connections of CONNECTIONS) {
      const clicks = await buildClicks(world, platform, take(slice));
      const requests = clicks.map((c) => c.req);
      log(`${platform}: ${connections} connections, ${clicks.length} clicks prepared`);
      await settle(world);
      const real = await fire({ url: world.url, path: PATHS[platform], connections, requests, classify });
      const used = clicks.slice(0, Math.min(clicks.length, real.sent));
      const moved = await applied(world, used);
      await settle(world);
      const bare = await fire({ url: world.url, path: "/bench/bare", connections, requests });
      await settle(world);
      const checked = await fire({ url: world.url, path: CHECKED[platform], connections, requests });
      rows.push({
        part: "card action",
        what: `${LABEL[platform]} (start / nudge)`,
        conns: connections,
        ...figures(real),
        verdict: verdict(real, bare),
        note:
          `${percentOf(real, bare)} of bare, ${percentOf(real, checked)} of the floor; ${clickAccount(used, moved, real)}; ` +
          `${(real.bytesPerAnswer / 1024).toFixed(1)} KiB answers`,
      });
      rows.push({
        part: "card action",
        what: "  baseline: bare hono route, same bytes",
        conns: connections,
        ...figures(bare),
        note: `${(bare.bytesPerAnswer / 1024).toFixed(1)} KiB answers`,
      });
      rows.push({
        part: "card action",
        what: "  floor: same requests, platform checks only",
        conns: connections,
        ...figures(checked),
        note:
          `${percentOf(checked, bare)} of bare; signature, decryption / JWT checked, nothing stored or drawn; ` +
          `${checked.non2xx} refused`,
      });
      log(render(rows.slice(-3)));
    }
  }
}

export async function creation(world: World, rows: Row[]): Promise<void> {
  const agents = world.directory.agents;
  const emu = world.feishu;
  const chats = Array.from({ length: CHATS }, (_, i) =>
    emu.addGroup(
      `售后群 ${i}`,
      agents.map((a) => `ou_bench_${a}`),
    ),
  );
  await world.call({ op: "bare", body: "{}" });
  await quiet(world);
  let n = 0;
  const messages = (count: number) =>
    Array.from({ length: count }, () => {
      const i = n++;
      return feishuMention(world, {
        from: agents[i % agents.length]!,
        chatId: chats[i % chats.length]!.chat_id,
        text: `新工单 客户张先生的 X200 手机无法开机，一直死机，订单 SO${100000 + i}`,
      });
    });
  // warm-up: a few hundred through the whole path
  const warm = messages(300);
  await fire({ url: world.url, path: PATHS.feishu, connections: 50, amount: warm.length, requests: warm });
  await drain(world, 60);
  for (const connections of CONNECTIONS) {
    const known = new Set(emu.messages.keys());
    const requests = messages(CREATE_PER_RUN);
    const ours = new Set(
      [...emu.messages.values()]
        .filter((m) => m.sender !== "bot" && !known.has(m.message_id))
        .map((m) => m.message_id),
    );
    const before = (await world.call<{ tickets: number }>({ op: "memory" })).tickets;
    const t0 = performance.now();
    const real = await fire({
      url: world.url,
      path: PATHS.feishu,
      connections,
      amount: requests.length,
      requests,
    });
    const drained = await drain(world, DRAIN_S);
    const seconds = (performance.now() - t0) / 1000;
    const created = (await world.call<{ tickets: number }>({ op: "memory" })).tickets - before;
    const answered = emu.botMessages().filter((m) => m.parent_id !== undefined && ours.has(m.parent_id));
    const replies = answered.length;
    const doubled = replies - new Set(answered.map((m) => m.parent_id)).size;
    // The bare route stores nothing, so it runs for the usual duration on the same messages, round and round:
    // a few thousand requests there last a fraction of a second, mostly connection ramp-up.
    const bare = await fire({ url: world.url, path: "/bench/bare", connections, requests });
    const checked = await fire({ url: world.url, path: CHECKED.feishu, connections, requests });
    rows.push({
      part: "creation",
      what: "Feishu message event, acknowledged",
      conns: connections,
      ...figures(real),
      verdict: verdict(real, bare),
      note:
        `${percentOf(real, bare)} of bare, ${percentOf(real, checked)} of the floor; ${real.requests} messages in ${real.seconds.toFixed(2)} s, ` +
        `${real.non2xx} non-2xx, ${real.errors} errors; ` +
        `end to end ${created} tickets and ${replies} reply cards (${doubled} doubled) in ${seconds.toFixed(1)} s = ` +
        `${rate(created / seconds)} created/s${drained ? "" : ` (inbox not drained after ${DRAIN_S} s)`}`,
    });
    rows.push({
      part: "creation",
      what: "  baseline: bare hono route, same bytes",
      conns: connections,
      ...figures(bare),
      note: "",
    });
    rows.push({
      part: "creation",
      what: "  floor: same requests, platform checks only",
      conns: connections,
      ...figures(checked),
      note: `${percentOf(checked, bare)} of bare; nothing stored; ${checked.non2xx} refused`,
    });
    log(render(rows.slice(-3)));
  }
}

/**
 * Waits (up to 60 s) until the previous run's aftermath is delivered (nudges, held notifications), so each
 * run, real or bare, starts on a quiet server.
 */
async function settle(world: World): Promise<void> {
  const until = performance.now() + 60_000;
  while (performance.now() < until) {
    const { pending } = await world.call<{ pending: number }>({ op: "outbox", dueOnly: true });
    if (pending === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await quiet(world);
}

/**
 * Waits (up to BENCH_QUIET_S, default 300 s) until the server's event loop is mostly idle: after a start it
 * re-plans every active ticket's deadlines in the background, which at 100k tickets takes a while.
 */
export async function quiet(world: World): Promise<void> {
  const t0 = performance.now();
  const until = t0 + Number(process.env.BENCH_QUIET_S ?? 300) * 1000;
  let busy = 1;
  while (performance.now() < until) {
    busy = await world.call<number>({ op: "busy" });
    if (busy < 0.1) break;
  }
  const waited = (performance.now() - t0) / 1000;
  if (waited > 2)
    log(
      `waited ${waited.toFixed(0)} s for the server to go quiet (event loop ${(busy * 100).toFixed(0)}% busy)`,
    );
}

/** Waits until the durable inbox holds no unprocessed platform event; false on timeout. */
async function drain(world: World, seconds: number): Promise<boolean> {
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const { inbound } = await world.call<{ inbound: number }>({ op: "outbox" });
    if (inbound === 0) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

export async function memoryRow(world: World, rows: Row[], when: string): Promise<void> {
  const m = await world.call<{ rss: number; heapUsed: number; tickets: number }>({ op: "memory" });
  rows.push({
    part: "memory",
    what: `server RSS, ${m.tickets.toLocaleString("en-US")} tickets (${when})`,
    note: `RSS ${(m.rss / 1024 / 1024).toFixed(0)} MiB, heap used ${(m.heapUsed / 1024 / 1024).toFixed(0)} MiB (after a full GC)`,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const parts = (process.env.BENCH_PARTS ?? "actions,create").split(",");
  const rows: Row[] = [];
  const world = await startWorld({ tickets: TICKETS });
  try {
    await memoryRow(world, rows, "idle after start");
    if (parts.includes("actions")) await cardActions(world, rows);
    if (parts.includes("create")) await creation(world, rows);
    await memoryRow(world, rows, "after the runs");
  } finally {
    await world.stop();
  }
  process.stdout.write(`\n${render(rows)}\n`);
  writeResults("actions", "Card actions and creation", commandLine("bench:actions"), rows);
}
