/**
 * Notification fan-out: BENCH_FANOUT (default 10,000) escalation messages queued at once (one store write),
 * one per person, delivered by the server's outbox dispatcher to the local Feishu and Teams under their
 * app-wide send limits (Feishu 50 messages a second per app, Teams 30 a second per app and tenant; the
 * emulators answer 429 above them), recipients split between the platforms in proportion to those limits.
 * The allowed rate is what the limits admit (the sum of both); the achieved rate is messages over the time
 * from queueing to the last message the emulators accepted. The emulators' records are then checked: each
 * person got exactly one message (none lost, none doubled).
 *
 * Run: npm run bench:fanout   (BENCH_FANOUT=1000 for a quick run)
 */
import type { OutboxIntent } from "../core/ports.ts";
import { commandLine, type Row, render, writeResults } from "./support/report.ts";
import { startWorld, type TicketInfo, type World } from "./support/world.ts";

export const FANOUT = Number(process.env.BENCH_FANOUT ?? 10_000);
const LIMITS = { feishu: 50, teams: 30 } as const;
const TIMEOUT_S = Number(process.env.BENCH_FANOUT_TIMEOUT_S ?? 900);
const log = (line: string) => process.stderr.write(`${line}\n`);
/** BENCH_FANOUT_TRACE=1: how many each platform has received, every 5 s. */
const TRACE = process.env.BENCH_FANOUT_TRACE === "1";

/** Delivered messages per recipient, from the emulators' own records. */
function received(world: World): Map<string, number> {
  const byPerson = new Map<string, number>();
  const add = (id: string) => byPerson.set(id, (byPerson.get(id) ?? 0) + 1);
  const openIdToPerson = new Map(
    world.directory.fanout.feishu.map((id): [string, string] => [`ou_bench_${id}`, id]),
  );
  for (const m of world.feishu.messages.values()) {
    if (m.sender !== "bot") continue;
    const chat = world.feishu.chats.get(m.chat_id);
    if (chat?.type !== "p2p") continue;
    const person = openIdToPerson.get([...chat.members][0] ?? "");
    if (person) add(person);
  }
  const aadToPerson = new Map(
    world.directory.people
      .filter((p) => p.id.startsWith("fan-") && p.teams)
      .map((p) => [p.teams!.aadObjectId, p.id]),
  );
  for (const conv of world.teams.connector.conversations.values()) {
    if (conv.type !== "personal" || !conv.user) continue;
    const person = aadToPerson.get(conv.user);
    if (!person) continue;
    for (const a of conv.activities.values()) if (a.by === "bot") add(person);
  }
  return byPerson;
}

/**
 * Messages the local platforms accepted since it was made, read from their request logs where the last read
 * stopped. Cheap enough to poll every 100 ms: scanning every recorded message that often, in the process the
 * local platforms run in, stalled them, bunched the sends they received and drew 429s the server's pacing
 * did not cause.
 */
class SendCount {
  readonly #world: World;
  #feishuAt: number;
  #teamsAt: number;
  readonly #count = { feishu: 0, teams: 0 };

  constructor(world: World) {
    this.#world = world;
    this.#feishuAt = world.feishu.requests.length;
    this.#teamsAt = world.teams.connector.calls.length;
  }

  read(): { readonly feishu: number; readonly teams: number } {
    const { requests } = this.#world.feishu;
    for (; this.#feishuAt < requests.length; this.#feishuAt++) {
      const r = requests[this.#feishuAt]!;
      if (r.method === "POST" && r.path === FEISHU_SEND && r.status === 200 && r.code === 0)
        this.#count.feishu++;
    }
    const { calls } = this.#world.teams.connector;
    for (; this.#teamsAt < calls.length; this.#teamsAt++) {
      const c = calls[this.#teamsAt]!;
      if (c.method === "POST" && TEAMS_SEND.test(c.path) && c.status < 300) this.#count.teams++;
    }
    return { ...this.#count };
  }
}

const FEISHU_SEND = "/open-apis/im/v1/messages";
const TEAMS_SEND = /\/v3\/conversations\/[^/]+\/activities$/;

export async function fanout(rows: Row[], size = FANOUT): Promise<void> {
  // recipients in proportion to the platforms' limits, so both finish together at the allowed rate
  const feishuShare = LIMITS.feishu / (LIMITS.feishu + LIMITS.teams);
  const world = await startWorld({ tickets: 200, fanout: size, fanoutSplit: feishuShare });
  try {
    world.feishu.appSendsPerSecond = LIMITS.feishu;
    world.teams.connector.appSendsPerSecond = LIMITS.teams;
    const tickets = await world.call<TicketInfo[]>({ op: "tickets" });
    const { feishu, teams } = world.directory.fanout;
    // Escalations for people on both platforms, mixed through the queue as a real fan-out would be (each
    // prefix holds both in proportion); keys padded so creation order is queue order.
    const recipients: { id: string; platform: string }[] = [];
    for (let f = 0, t = 0; f < feishu.length || t < teams.length; ) {
      const feishuNext = t >= teams.length || (f < feishu.length && f * teams.length <= t * feishu.length);
      recipients.push(
        feishuNext ? { id: feishu[f++]!, platform: "feishu" } : { id: teams[t++]!, platform: "teams" },
      );
    }
    const intents: OutboxIntent[] = recipients.map((r, i) => ({
      key: `bench-fanout:${String(i).padStart(6, "0")}:escalation:${r.id}`,
      kind: "escalation",
      recipient: r.id,
      ticket: tickets[i % tickets.length]!.number,
      payload: {
        by: "system",
        at: new Date().toISOString(),
        platform: r.platform,
        level: 1,
        reasons: [{ kind: "major_complaint", text: "媒体曝光 / media exposure" }],
      },
    }));
    const feishuBefore = world.feishu.requests.length;
    const teamsBefore = world.teams.connector.calls.length;
    const sends = new SendCount(world);
    const t0 = performance.now();
    const { added } = await world.call<{ added: number }>({ op: "enqueue", intents });
    let got = new Map<string, number>();
    let lastAt = t0;
    let delivered = 0;
    const target = { feishu: feishu.length, teams: teams.length };
    const finished = { feishu: Number.NaN, teams: Number.NaN };
    const deadline = t0 + TIMEOUT_S * 1000;
    let tracedAt = t0;
    while (performance.now() < deadline) {
      const count = sends.read();
      if (count.feishu + count.teams !== delivered) {
        delivered = count.feishu + count.teams;
        lastAt = performance.now();
      }
      // The full check of who got what runs only once the counts say a platform may be done.
      for (const platform of ["feishu", "teams"] as const) {
        if (!Number.isNaN(finished[platform]) || count[platform] < target[platform]) continue;
        got = received(world);
        const ids = platform === "feishu" ? feishu : teams;
        if (ids.every((id) => got.has(id))) finished[platform] = (performance.now() - t0) / 1000;
      }
      if (!Number.isNaN(finished.feishu) && !Number.isNaN(finished.teams)) break;
      if (TRACE && performance.now() - tracedAt >= 5000) {
        tracedAt = performance.now();
        log(
          `fan-out +${((tracedAt - t0) / 1000).toFixed(0)} s: Feishu ${count.feishu}, Teams ${count.teams}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // anything still to come (a double) would show within a few seconds of quiet
    await new Promise((r) => setTimeout(r, 3000));
    got = received(world);
    const seconds = (lastAt - t0) / 1000;
    const lost = recipients.filter((r) => !got.has(r.id)).length;
    const doubled = [...got.values()].filter((n) => n > 1).length;
    const allowed = LIMITS.feishu + LIMITS.teams;
    // the fastest the limits allow: each platform's share at its own limit, both side by side
    const fastest = Math.max(feishu.length / LIMITS.feishu, teams.length / LIMITS.teams);
    const achieved = recipients.length / seconds;
    const throttled = {
      feishu: world.feishu.requests.slice(feishuBefore).filter((r) => r.status === 429).length,
      teams: world.teams.connector.calls.slice(teamsBefore).filter((c) => c.status === 429).length,
    };
    rows.push({
      part: "fan-out",
      what: `${recipients.length.toLocaleString("en-US")} escalations queued at once, one per person`,
      perSecond: achieved.toFixed(1),
      verdict: fastest / seconds >= 0.95 && lost === 0 && doubled === 0 ? "ok" : "BELOW",
      note:
        `${((fastest / seconds) * 100).toFixed(0)}% of the allowed ${allowed}/s ` +
        `(Feishu ${feishu.length} at ${LIMITS.feishu}/s, Teams ${teams.length} at ${LIMITS.teams}/s: ` +
        `${fastest.toFixed(0)} s at best, took ${seconds.toFixed(1)} s: Feishu ${finished.feishu.toFixed(1)} s, ` +
        `Teams ${finished.teams.toFixed(1)} s); queued ${added}, ` +
        `lost ${lost}, doubled ${doubled}; 429s answered: Feishu ${throttled.feishu}, Teams ${throttled.teams}`,
    });
    log(render(rows.slice(-1)));
  } finally {
    await world.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows: Row[] = [];
  await fanout(rows);
  process.stdout.write(`\n${render(rows)}\n`);
  writeResults("fanout", "Notification fan-out", commandLine("bench:fanout"), rows);
}
