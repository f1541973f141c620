/**
 * Issue 11, scenario 1: duplicate and late deliveries. On each platform a short story (tickets made from
 * chat, a card shown again, Start, Nudge, Resolve, Reopen, help) is played once as the reference; then, for
 * generated schedules (fast-check), every inbound event and card action of the same story is delivered again
 * 1 to 5 times, interleaved at random with the rest, some of the replays late (after the nudge window and the
 * platform's retry delays). Each run must end exactly as the reference: the same tickets (one per message),
 * the same transitions (each once), the same messages in the platform's records (each once).
 *
 * Size: 2 schedules per platform (CLOSELOOP_RELIABILITY_SCALE=large: 25). Seed: CLOSELOOP_RELIABILITY_SEED.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TicketRecord } from "../../core/ports.ts";
import { GROUP, startHarness as startDingTalk, waitFor } from "../dingtalk/support/harness.ts";
import { type Harness as FeishuHarness, startHarness as startFeishu } from "../feishu/harness.ts";
import { startTeamsWorld, type TeamsWorld } from "../teams/support.ts";
import { type Delivery, numbersIn, scheduleArb, tally } from "./support/replay.ts";
import { pick, report, seedOf } from "./support/scale.ts";
import { timelineProblems } from "./support/timeline.ts";

const RUNS = pick(2, 25);
const LATE_MS = 40 * 60_000;

/** What a run leaves behind, reduced to what must not depend on how often or how late events came. */
interface Outcome {
  readonly tickets: string[];
  readonly transitions: string[];
  readonly messages: string[];
  readonly problems: string[];
}

/** A platform's story: each original event is played by a function that can play it again. */
interface Story<W> {
  start(): Promise<W>;
  originals: ((w: W) => Promise<() => Promise<void>>)[];
  settle(w: W): Promise<void>;
  advance(w: W, ms: number): void;
  outcome(w: W): Promise<Outcome>;
  stop(w: W): Promise<void>;
}

const BOOKKEEPING = new Set(["card_posted", "deadlines_set"]);

async function ticketsOf(list: () => Promise<readonly TicketRecord[]>) {
  const records = await list();
  return {
    tickets: records
      .map((r) => `${r.state.number}<-${r.state.origin.platform}:${r.state.description.slice(0, 12)}`)
      .sort(),
    transitions: records.flatMap((r) =>
      r.events
        .filter((e) => !BOOKKEEPING.has(e.type))
        .map((e) => `${r.state.number} ${e.type} by ${e.actor}`),
    ),
    problems: records.flatMap(timelineProblems),
  };
}

async function play<W>(story: Story<W>, schedule: readonly Delivery[] | undefined): Promise<Outcome> {
  const w = await story.start();
  try {
    const again: (() => Promise<void>)[] = [];
    const order = schedule ?? story.originals.map((_, i) => ({ i, replay: false, late: false }));
    for (const d of order) {
      if (d.late) story.advance(w, LATE_MS);
      if (d.replay) await again[d.i]!();
      else again[d.i] = await story.originals[d.i]!(w);
      await story.settle(w);
    }
    return await story.outcome(w);
  } finally {
    await story.stop(w);
  }
}

async function check<W>(name: string, story: Story<W>): Promise<void> {
  const reference = await play(story, undefined);
  expect(reference.problems).toEqual([]);
  expect(reference.tickets.length).toBeGreaterThan(0);
  let runs = 0;
  let deliveries = 0;
  let late = 0;
  await fc.assert(
    fc.asyncProperty(scheduleArb(story.originals.length), async (schedule) => {
      runs += 1;
      deliveries += schedule.length;
      late += schedule.filter((d) => d.late).length;
      const got = await play(story, schedule);
      expect(got.problems).toEqual([]);
      expect(got.tickets).toEqual(reference.tickets);
      expect(got.transitions).toEqual(reference.transitions);
      expect(got.messages).toEqual(reference.messages);
    }),
    { numRuns: RUNS, seed: seedOf(`duplicates (${name})`), endOnFailure: true },
  );
  report(`duplicates (${name})`, {
    schedules: runs,
    deliveries,
    replays: deliveries - runs * story.originals.length,
    late,
    tickets: reference.tickets.length,
    duplicates: 0,
  });
}

// ---- Feishu -------------------------------------------------------------------------------------------

const feishuStory: Story<FeishuHarness> = {
  start: () => startFeishu(),
  advance: (h, ms) => h.clock.advance(ms),
  settle: async (h) => {
    await h.drain();
  },
  stop: (h) => h.stop(),
  originals: [
    (h) => feishuSays(h, "agent", "group", "新工单 客户张先生的X200手机无法开机，一直死机"),
    (h) => feishuSays(h, "agent", "group", "新工单 客户李女士的X300平板无法开机，一直重启"),
    async (h) => feishuSays(h, "engineer", "p2p", `工单 ${await feishuNumber(h, 0)}`),
    (h) => feishuClicks(h, 0, "engineer", "start"),
    (h) => feishuClicks(h, 0, "agent", "nudge"),
    (h) => feishuClicks(h, 1, "engineer", "resolve", { solution: "更换电池后正常开机" }),
    (h) => feishuClicks(h, 1, "agent", "reopen", { reason: "客户说又坏了" }),
    (h) => feishuSays(h, "agent", "group", "帮助"),
  ],
  async outcome(h) {
    const { tickets, transitions, problems } = await ticketsOf(
      async () => (await h.cl.store.list({ limit: 100 })).items,
    );
    const text = (id: string | undefined) => {
      const m = id ? h.emu.messages.get(id) : undefined;
      return m && m.sender !== "bot" ? (JSON.parse(m.content) as { text: string }).text : "-";
    };
    const messages = tally(
      h.emu
        .botMessages()
        .map(
          (m) =>
            `${h.emu.chats.get(m.chat_id)!.name} ${m.msg_type} re:${text(m.parent_id)} [${numbersIn(m.content)}]`,
        ),
    );
    messages.push(`buzz ×${h.emu.urgent.length}`);
    return { tickets, transitions, messages, problems };
  },
};

async function feishuSays(h: FeishuHarness, who: "agent" | "engineer", where: "group" | "p2p", text: string) {
  const chatId = where === "group" ? h.group : h.emu.p2pChat(h.ids[who]).chat_id;
  const sent = await h.emu.userSends({ chatId, from: h.ids[who], text, mentionBot: where === "group" });
  expect(sent.answer?.status).toBe(200);
  return async () => {
    expect((await h.emu.redeliver(sent.eventId!)).status).toBe(200);
  };
}

async function feishuNumber(h: FeishuHarness, index: number): Promise<string> {
  const items = (await h.cl.store.list({ limit: 100 })).items.map((r) => r.state.number).sort();
  return items[index]!;
}

async function feishuClicks(
  h: FeishuHarness,
  index: number,
  who: "agent" | "engineer",
  action: string,
  formValue?: Record<string, unknown>,
) {
  const number = await feishuNumber(h, index);
  const record = await h.cl.service.get(number);
  const place = record.state.placements.find((p) => p.platform === "feishu" && p.chatId === h.group)!;
  const answer = await h.emu.clickCard({
    messageId: place.messageId,
    operator: h.ids[who],
    value: { action, ticket: number, version: record.state.version },
    ...(formValue ? { formValue } : {}),
  });
  expect(answer.status).toBe(200);
  expect((answer.body as { toast: { type: string } }).toast.type).toBe("success");
  const eventId = h.emu.pushes.at(-1)!.event_id;
  return async () => {
    expect((await h.emu.redeliver(eventId)).status).toBe(200);
  };
}

// ---- DingTalk -----------------------------------------------------------------------------------------

type DingTalk = Awaited<ReturnType<typeof startDingTalk>>;

const dingtalkStory: Story<DingTalk> = {
  async start() {
    const h = await startDingTalk({ env: { DINGTALK_DING: "app" }, config: { nudge: { urgent: true } } });
    await h.platform.start();
    await waitFor("a stream connection", () => h.emu.gateway.liveConnections === 1);
    return h;
  },
  advance: (h, ms) => h.clock.advance(ms),
  async settle(h) {
    await waitFor("every frame acknowledged", () => [...h.emu.gateway.frames.values()].every((f) => f.acked));
    await h.drain();
  },
  stop: (h) => h.close(),
  originals: [
    (h) => dingtalkSays(h, "u_li", GROUP, "新工单 客户张先生的X200手机无法开机，一直死机"),
    (h) => dingtalkSays(h, "u_li", GROUP, "新工单 客户李女士的X300平板无法开机，一直重启"),
    async (h) => dingtalkSays(h, "u_liu", "cidP2PLiu==", `工单 ${await dingtalkNumber(h, 0)}`, "1"),
    (h) => dingtalkClicks(h, 0, "u_liu", "start"),
    (h) => dingtalkClicks(h, 0, "u_li", "nudge"),
    (h) => dingtalkClicks(h, 1, "u_liu", "resolve", { solution: "更换电池后正常开机" }),
    (h) => dingtalkClicks(h, 1, "u_li", "reopen", { reason: "客户说又坏了" }),
    (h) => dingtalkSays(h, "u_li", GROUP, "帮助"),
  ],
  async outcome(h) {
    const { tickets, transitions, problems } = await ticketsOf(
      async () => (await h.cl.store.list({ limit: 100 })).items,
    );
    // Where a message landed and what it names; not how (a session webhook that expired during a late
    // redelivery makes the same nudge go as a card through the group API instead).
    const messages = tally([
      ...[...h.emu.cards.values()].map(
        (c) =>
          `${c.spaces.map((s) => s.replace(/^IM_\w+\./, "")).join("+")} [${numbersIn(JSON.stringify(c.cardParamMap))}]`,
      ),
      ...h.emu.messages.map((m) => `${m.target} [${numbersIn(m.text)}]`),
      ...h.emu.dings.map((d) => `ding ${d.receivers.join(",")}`),
    ]);
    return { tickets, transitions, messages, problems };
  },
};

async function dingtalkSays(
  h: DingTalk,
  from: string,
  conversationId: string,
  text: string,
  type?: "1" | "2",
) {
  const sent = h.emu.robotMessage({ conversationId, senderUserId: from, text, conversationType: type });
  await waitFor("the ack", () => sent.frame.acked);
  let replays = 0;
  return async () => {
    // DingTalk redelivers the same frame (a duplicate) or, after a reconnect, a new frame for the same msgId.
    if (replays++ % 2 === 0) h.emu.gateway.duplicate(sent.frame.messageId);
    else {
      const again = h.emu.robotMessage({
        conversationId,
        senderUserId: from,
        text,
        conversationType: type,
        msgId: sent.msgId,
      });
      await waitFor("the ack", () => again.frame.acked);
    }
  };
}

async function dingtalkNumber(h: DingTalk, index: number): Promise<string> {
  return (await h.cl.store.list({ limit: 100 })).items.map((r) => r.state.number).sort()[index]!;
}

async function dingtalkClicks(
  h: DingTalk,
  index: number,
  userId: string,
  action: string,
  fields: Record<string, unknown> = {},
) {
  const number = await dingtalkNumber(h, index);
  const record = await h.cl.service.get(number);
  const card = [...h.emu.cards.values()].find(
    (c) => c.spaces.includes(`IM_GROUP.${GROUP}`) && c.cardParamMap.ticket === number,
  )!;
  const click = await h.emu.clickCard({
    outTrackId: card.outTrackId,
    userId,
    params: { action, ticket: number, version: record.state.version, ...fields },
  });
  expect(click.answered).toBe(true);
  expect(JSON.stringify(click.response)).not.toContain("⚠️");
  return async () => {
    h.emu.gateway.duplicate(click.frame.messageId);
  };
}

// ---- Teams --------------------------------------------------------------------------------------------

const teamsStory: Story<TeamsWorld> = {
  start: () => startTeamsWorld(),
  advance: (w, ms) => w.clock.advance(ms),
  settle: (w) => w.drain(),
  stop: (w) => w.stop(),
  originals: [
    (w) => teamsSays(w, "channel", "/ticket 客户张先生的X200手机无法开机，一直死机"),
    (w) => teamsSays(w, "channel", "/ticket 客户李女士的X300平板无法开机，一直重启"),
    async (w) => teamsSays(w, "personal", `工单 ${await teamsNumber(w, 0)}`),
    (w) => teamsClicks(w, 0, "engineer", "start"),
    (w) => teamsClicks(w, 0, "agent", "nudge"),
    (w) => teamsClicks(w, 1, "engineer", "resolve", { solution: "更换电池后正常开机" }),
    (w) => teamsClicks(w, 1, "agent", "reopen", { reason: "客户说又坏了" }),
    (w) => teamsSays(w, "personal", "帮助"),
  ],
  async outcome(w) {
    const { tickets, transitions, problems } = await ticketsOf(
      async () => (await w.cl.store.list({ limit: 100 })).items,
    );
    const channels = new Map<string, string>();
    const nameOf = (id: string) => {
      if (id.startsWith("a:")) return id;
      if (!channels.has(id)) channels.set(id, `channel#${channels.size}`);
      return channels.get(id)!;
    };
    const messages: string[] = [];
    for (const id of [...w.emulator.connector.conversations.keys()].sort()) {
      for (const a of w.emulator.connector.botActivities(id))
        messages.push(`${nameOf(id)} [${numbersIn(JSON.stringify(a.activity))}]`);
    }
    return {
      tickets,
      transitions,
      messages: tally(messages.map((m) => m.replace(/channel#\d+/, "channel"))),
      problems,
    };
  },
};

/** The channel each run's stories post into: one per world. */
const teamsChannels = new WeakMap<TeamsWorld, ReturnType<TeamsWorld["emulator"]["channel"]>>();

async function teamsSays(w: TeamsWorld, where: "channel" | "personal", text: string) {
  let msg: { id: string; conversation: { id: string } };
  if (where === "channel") {
    if (!teamsChannels.has(w)) teamsChannels.set(w, w.emulator.channel());
    msg = w.emulator.channelMessage(w.users.agent, teamsChannels.get(w)!, text);
  } else msg = w.emulator.personalMessage(w.users.engineer, text);
  expect((await w.emulator.send(msg)).status).toBe(202);
  return async () => {
    expect((await w.emulator.send(msg)).status).toBe(202);
  };
}

async function teamsNumber(w: TeamsWorld, index: number): Promise<string> {
  return (await w.cl.store.list({ limit: 100 })).items.map((r) => r.state.number).sort()[index]!;
}

async function teamsClicks(
  w: TeamsWorld,
  index: number,
  who: "agent" | "engineer",
  verb: string,
  fields: Record<string, unknown> = {},
) {
  const number = await teamsNumber(w, index);
  const record = await w.cl.service.get(number);
  const place = record.state.placements.find((p) => p.platform === "teams" && !p.chatId.startsWith("a:"))!;
  const invoke = w.emulator.execute(w.users[who], place.chatId, place.messageId, verb, {
    action: verb,
    ticket: number,
    version: record.state.version,
    ...fields,
  });
  const first = await w.emulator.invoke(invoke);
  expect(first.status).toBe(200);
  expect(first.body.type).toBe("application/vnd.microsoft.card.adaptive");
  return async () => {
    const again = await w.emulator.invoke(invoke);
    expect(again.status).toBe(200);
  };
}

describe("every inbound event and card action delivered 1 to 5 more times, in random order, some late", () => {
  it("Feishu", { timeout: 300_000 }, () => check("feishu", feishuStory));
  it("DingTalk", { timeout: 300_000 }, () => check("dingtalk", dingtalkStory));
  it("Teams", { timeout: 300_000 }, () => check("teams", teamsStory));
});
