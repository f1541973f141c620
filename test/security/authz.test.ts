import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedRequest } from "../../adapters/feishu/emulator/push.ts";
import type { TicketRecord } from "../../core/ports.ts";
import { flushTallies, tally } from "./support/ledger.ts";
import {
  DING_GROUP,
  DINGTALK,
  FEISHU,
  type PersonaId,
  type SecurityWorld,
  startWorld,
  type TicketSetup,
  WHO,
  type Who,
} from "./support/world.ts";

/**
 * Issue 11, part 4: every command from every surface (card click on each platform, chat, board, API) by
 * every role, against a ticket of department tech owned by eng-liu and taken by agent-li. The expected
 * outcome of each cell is written out here from the roles as the README and core/directory/permissions.ts
 * state them, not computed from that code.
 *
 * A allowed (written) · F forbidden (403 / "not allowed", nothing written) · I refused for the ticket's state
 * (422, nothing written) · the stranger (on every platform, in no directory) is always refused as unknown.
 */
const ORDER: readonly PersonaId[] = [
  "admin",
  "head-support",
  "head-tech",
  "head-billing",
  "eng-liu",
  "eng-sun",
  "eng-bill",
  "agent-li",
  "agent-zhou",
];
type Outcome = "A" | "F" | "I" | "U";

/** Admin, the owner, the department's head and its engineers. */
const WORK = "AFAFAAFFF";
/** Those who work the ticket, and the agent who took it. */
const ADJUST = "AFAFAAFAF";
/** The customer's single point of contact: admin, the first-contact agent, the department's head. */
const FOLLOW_UP = "AFAFFFFAF";
const EVERYONE = "AAAAAAAAA";

interface Command {
  /** The API command (or the card action) run. */
  readonly name: string;
  readonly setup: TicketSetup;
  readonly body?: Record<string, unknown>;
  readonly expect: string;
  /** The surfaces that offer it (a card has no button for some commands). */
  readonly on: readonly Surface[];
}

type Surface = "api" | "board" | "feishu" | "dingtalk" | "teams";
const ALL: readonly Surface[] = ["api", "board", "feishu", "dingtalk", "teams"];
const WEB: readonly Surface[] = ["api", "board"];

const COMMANDS: Record<string, Command> = {
  claim: { name: "claim", setup: "pending", expect: "AFAFIAFFF", on: ALL },
  assign: { name: "assign", setup: "pending", body: { owner: "eng-sun" }, expect: "AFAFFFFFF", on: ALL },
  // A head reassigns within their own department: not out of it into another, nor into their own from another.
  "assign to another department": {
    name: "assign",
    setup: "pending",
    body: { owner: "eng-bill", department: "billing" },
    expect: "AFFFFFFFF",
    on: WEB,
  },
  start: { name: "start", setup: "pending", expect: WORK, on: ALL },
  resolve: {
    name: "resolve",
    setup: "in_progress",
    body: { solution: "更换主板后正常" },
    expect: WORK,
    on: ALL,
  },
  reopen: {
    name: "reopen",
    setup: "resolved",
    body: { reason: "客户反馈仍无法开机" },
    expect: ADJUST,
    on: ALL,
  },
  comment: {
    name: "comment",
    setup: "pending",
    body: { text: "客户又来电询问进度" },
    expect: EVERYONE,
    on: WEB,
  },
  nudge: { name: "nudge", setup: "pending", expect: EVERYONE, on: ALL },
  "reveal-contact": { name: "reveal-contact", setup: "pending", expect: "AFFFAFFAF", on: WEB },
  update: { name: "update", setup: "pending", body: { priority: "urgent" }, expect: ADJUST, on: WEB },
  pause: { name: "pause", setup: "in_progress", body: { reason: "等待客户寄回" }, expect: ADJUST, on: WEB },
  resume: { name: "resume", setup: "paused", expect: ADJUST, on: WEB },
  confirm: { name: "confirm", setup: "resolved", body: { result: "confirmed" }, expect: FOLLOW_UP, on: ALL },
  dispute: {
    name: "confirm",
    setup: "resolved",
    body: { result: "disputed", reason: "客户说没修好" },
    expect: FOLLOW_UP,
    on: ALL,
  },
  survey: {
    name: "survey",
    setup: "confirmed",
    body: { resolutionScore: 4, attitudeScore: 5, method: "phone" },
    expect: FOLLOW_UP,
    on: ALL,
  },
  remedy: {
    name: "remedy",
    setup: "surveyed-low",
    body: { note: "已回电致歉并补发配件" },
    expect: ADJUST,
    on: WEB,
  },
};

let w: SecurityWorld;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  const { leaks, counts } = w.ledger.scan();
  await w?.stop();
  flushTallies("authz", { artifacts: counts, leaks: leaks.length, revealed: w.ledger.revealed });
  expect(leaks.map((l) => `${l.kind} ${l.source}: ${l.phone}`)).toEqual([]);
});

const expected = (cmd: { expect: string }, who: Who): Outcome =>
  who === "stranger" ? "U" : (cmd.expect[ORDER.indexOf(who)] as Outcome);

/** What a surface said, as an outcome; `text` is any message it showed. */
interface Said {
  readonly ok: boolean;
  readonly text: string;
  readonly status?: number;
}

function outcomeOf(s: Said): Outcome {
  if (s.status !== undefined) {
    if (s.status === 200 || s.status === 201) return "A";
    if (s.status === 403) return "F";
    if (s.status === 422) return "I";
    if (s.status === 401) return "U";
    return `HTTP ${s.status}: ${s.text.slice(0, 200)}` as Outcome;
  }
  if (s.ok) return "A";
  if (/通讯录|directory/.test(s.text)) return "U";
  if (/没有权限|not allowed/.test(s.text)) return "F";
  return "I";
}

/** Card fields as each platform's form sends them back (strings, as forms do). */
const formFields = (body: Record<string, unknown> = {}, action: string) => {
  const f: Record<string, unknown> = {};
  if (action === "resolve") f.solution = body.solution;
  if (action === "reopen" || action === "dispute") f.reason = body.reason;
  if (action === "assign") f.owner = body.owner;
  if (action === "survey") Object.assign(f, { resolutionScore: "4", attitudeScore: "5", method: "phone" });
  return f;
};

async function click(
  surface: Surface,
  who: Who,
  action: string,
  t: TicketRecord,
  body?: Record<string, unknown>,
): Promise<Said> {
  const value = { action, ticket: t.state.number, version: t.state.version };
  const fields = formFields(body, action);
  if (surface === "feishu") {
    const env = w.feishu.emu.envelope("card.action.trigger", {
      operator: { open_id: w.feishu.users[who].open_id },
      token: "c-authz",
      action: { tag: "button", value, ...(Object.keys(fields).length ? { form_value: fields } : {}) },
      context: { open_message_id: `om_card_${t.state.number}`, open_chat_id: w.feishu.group },
    });
    const req = signedRequest(env, FEISHU.encryptKey);
    const res = await fetch(`${w.url}/feishu/events`, {
      method: "POST",
      headers: req.headers,
      body: req.body,
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { toast: { type: string; i18n: { zh_cn: string } } };
    w.ledger.record("card", "feishu callback answer", JSON.stringify(answer));
    return { ok: answer.toast.type === "success", text: answer.toast.i18n.zh_cn };
  }
  if (surface === "dingtalk") {
    const frame = w.dingtalk.emu.gateway.push("CALLBACK", "/v1.0/card/instances/callback", {
      type: "actionCallback",
      outTrackId: `track_${t.state.number}`,
      corpId: "dingcorp",
      userId: w.dingUser(who),
      userIdType: 1,
      spaceType: "IM_GROUP",
      spaceId: DING_GROUP,
      extension: "{}",
      content: JSON.stringify({
        cardPrivateData: { actionIds: ["button"], params: { ...value, ...fields } },
      }),
    });
    const response = (await w.dingtalk.emu.gateway.waitForAck(frame.messageId, 5000)) as
      | { cardData?: unknown; userPrivateData?: unknown }
      | undefined;
    expect(response, "DingTalk answered the click").toBeDefined();
    w.ledger.record("card", "dingtalk callback answer", JSON.stringify(response));
    return { ok: response?.cardData !== undefined, text: JSON.stringify(response?.userPrivateData ?? "") };
  }
  const conversation = `a:1security${who}`;
  const invoke = w.teams.emu.execute(w.teams.users[who], conversation, `card-${t.state.number}`, action, {
    ...value,
    ...fields,
  });
  const res = await w.teams.emu.send(invoke);
  expect(res.status).toBe(200);
  w.ledger.record("card", "teams invoke answer", JSON.stringify(res.body));
  const b = res.body as { type: string; value: unknown };
  return {
    ok: b.type === "application/vnd.microsoft.card.adaptive",
    text: typeof b.value === "string" ? b.value : "",
  };
}

async function viaHttp(
  surface: "api" | "board",
  who: Who,
  name: string,
  t: TicketRecord,
  body: Record<string, unknown>,
) {
  const path = `/api/v1/tickets/${t.state.number}/${name}`;
  const full = { version: t.state.version, ...body };
  if (surface === "api") {
    const r = await w.call("POST", path, { as: who, body: full });
    return { ok: r.status === 200, status: r.status, text: r.text };
  }
  if (who === "stranger") {
    const signIn = await w.call("POST", "/board/session", {
      body: { provider: "sandbox", code: "stranger" },
    });
    expect(signIn.status).toBe(401);
    const r = await w.call("POST", path, { body: full, headers: { "x-closeloop-csrf": "none" } });
    return { ok: false, status: r.status, text: r.text };
  }
  const r = await w.call("POST", path, { body: full, session: await session(who) });
  return { ok: r.status === 200, status: r.status, text: r.text };
}

const sessions = new Map<string, Awaited<ReturnType<SecurityWorld["boardSession"]>>>();
async function session(who: PersonaId) {
  let s = sessions.get(who);
  if (!s) {
    s = await w.boardSession(who);
    sessions.set(who, s);
  }
  return s;
}

const CARD_ACTION: Record<string, string> = { dispute: "dispute" };

// First, before the matrix leaves hundreds of notifications in the outbox for every drain to deliver.
describe("creating a ticket from every surface", () => {
  const count = async (q: string) => (await w.cl.store.list({ limit: 50, q })).items;

  it.each(WHO)("by chat on every platform, and by API and board, as %s", async (who) => {
    const t = tally("authz:chat");
    const marker = `授权测试${who.replace(/-/g, "")}`;
    // Feishu: an @mention in the group.
    await w.feishu.emu.userSends({
      chatId: w.feishu.group,
      from: w.feishu.users[who].open_id,
      text: `新工单 飞书 ${marker} 打印机卡纸`,
      mentionBot: true,
    });
    // DingTalk: the robot callback, signed (HTTP mode).
    const data = w.dingtalk.emu.robotMessageData({
      conversationId: DING_GROUP,
      senderUserId: w.dingUser(who),
      text: `新工单 钉钉 ${marker} 打印机卡纸`,
    });
    const ts = String(w.clock.now().getTime() + WHO.indexOf(who));
    const { createHmac } = await import("node:crypto");
    const sign = createHmac("sha256", DINGTALK.secret).update(`${ts}\n${DINGTALK.secret}`).digest("base64");
    const posted = await fetch(w.dingtalk.url, {
      method: "POST",
      headers: { "content-type": "application/json", timestamp: ts, sign },
      body: JSON.stringify(data),
    });
    expect(posted.status).toBe(200);
    // Teams: a 1:1 message.
    expect(
      (
        await w.teams.emu.send(
          w.teams.emu.personalMessage(w.teams.users[who], `/ticket Teams ${marker} 打印机卡纸`),
        )
      ).status,
    ).toBe(202);
    const mark = w.spy.mark();
    await w.drain();
    const made = await count(marker);
    const creates = w.spy.since(mark).filter((x) => x.op === "create");
    t.tried += 3;
    if (who === "stranger") {
      t.refused += 3;
      t.written += creates.length;
      expect(made).toEqual([]);
      expect(creates).toEqual([]);
    } else {
      t.allowed += 3;
      expect(made.map((r) => r.state.origin.platform).sort()).toEqual(["dingtalk", "feishu", "teams"]);
      for (const r of made) expect(r.state.firstContact).toBe(who);
    }
    // The API and the board.
    const api = tally("authz:api");
    const board = tally("authz:board");
    api.tried++;
    board.tried++;
    const viaApi = await w.call("POST", "/api/v1/tickets", {
      as: who,
      body: { description: `API ${marker}` },
    });
    const viaBoard =
      who === "stranger"
        ? await w.call("POST", "/api/v1/tickets", {
            body: { description: `看板 ${marker}` },
            headers: { "x-closeloop-csrf": "x" },
          })
        : await w.call("POST", "/api/v1/tickets", {
            body: { description: `看板 ${marker}` },
            session: await session(who),
          });
    if (who === "stranger") {
      expect([viaApi.status, viaBoard.status]).toEqual([401, 401]);
      api.refused++;
      board.refused++;
    } else {
      expect([viaApi.status, viaBoard.status]).toEqual([201, 201]);
      expect([viaApi.body.firstContact, viaBoard.body.firstContact]).toEqual([who, who]);
      api.allowed++;
      board.allowed++;
    }
  });

  it("the new-ticket form on a card, by a stranger, is refused on every platform", async () => {
    const t = tally("authz:cards-create");
    for (const surface of ["feishu", "dingtalk", "teams"] as const) {
      const mark = w.spy.mark();
      const fake = { state: { number: "", version: 0 } } as unknown as TicketRecord;
      const said = await click(surface, "stranger", "create", fake, {});
      t.tried++;
      expect(outcomeOf(said)).toBe("U");
      expect(w.spy.ticketWritesSince(mark)).toEqual([]);
      t.refused++;
    }
  });
});

describe.each(["api", "board", "feishu", "dingtalk", "teams"] as const)(
  "commands x roles on %s",
  (surface) => {
    for (const [label, cmd] of Object.entries(COMMANDS).filter(([, c]) => c.on.includes(surface))) {
      it(`${label}: ${cmd.expect} (${ORDER.join(" ")}), stranger refused`, async () => {
        const category = `authz:${surface}`;
        let ticket: TicketRecord | undefined;
        const seen: Record<string, Outcome> = {};
        for (const who of WHO) {
          ticket ??= await w.ticket(cmd.setup);
          const mark = w.spy.mark();
          const said =
            surface === "api" || surface === "board"
              ? await viaHttp(surface, who, cmd.name, ticket, cmd.body ?? {})
              : await click(surface, who, CARD_ACTION[label] ?? label, ticket, cmd.body);
          const writes = w.spy.ticketWritesSince(mark);
          const got = outcomeOf(said);
          seen[who] = got;
          const t = tally(category);
          t.tried++;
          if (got === "A") {
            t.allowed++;
            expect(writes.length, `${label} by ${who}: an allowed command writes`).toBeGreaterThan(0);
            expect(writes.every((x) => x.target === ticket!.state.number)).toBe(true);
            const after = await w.cl.service.get(ticket.state.number);
            expect(after.events.slice(ticket.events.length).some((e) => e.actor === who)).toBe(true);
            ticket = undefined;
          } else {
            t.refused++;
            t.written += writes.length;
            expect(writes, `${label} by ${who} (${got}): nothing written`).toEqual([]);
            expect((await w.cl.service.get(ticket.state.number)).state.seq).toBe(ticket.state.seq);
          }
        }
        const want = Object.fromEntries(WHO.map((who) => [who, expected(cmd, who)]));
        expect(seen).toEqual(want);
      });
    }
  },
);
