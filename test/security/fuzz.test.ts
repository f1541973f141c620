import { createHmac } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardCallbackSchema, robotMessageSchema } from "../../adapters/dingtalk/wire.ts";
import { signBody, signedRequest } from "../../adapters/feishu/emulator/push.ts";
import { commandText, messageEventSchema } from "../../adapters/feishu/inbound-message.ts";
import { verifyPush } from "../../adapters/feishu/verify.ts";
import { type Activity, activitySchema, executeValueSchema } from "../../adapters/teams/activity.ts";
import { readMessage } from "../../adapters/teams/mentions.ts";
import { parseChatCommand } from "../../core/chat/grammar.ts";
import { describeHttpFuzz } from "./support/fuzz-http.ts";
import { FUZZ_RUNS, flushTallies, tally } from "./support/ledger.ts";
import { DING_GROUP, DINGTALK, FEISHU, type SecurityWorld, startWorld } from "./support/world.ts";

/**
 * Issue 11, part 2: every inbound parser of every platform, and the HTTP API's bodies, paths and queries
 * (support/fuzz-http.ts), fed random and malformed payloads: nothing throws, the server never answers 500,
 * and a malformed payload writes nothing. CLOSELOOP_FUZZ_RUNS raises the runs per property (default 40).
 */
const runs = { numRuns: FUZZ_RUNS };
const FAR = "9999-01-01T00:00:00.000Z";

/** Text with everything that breaks parsers: any code unit, markup, JSON, mention syntax, long runs. */
const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.constantFrom(
    "",
    " ",
    "null",
    "[]",
    "{}",
    '"x"',
    "0",
    '{"text":null}',
    '{"text":{"a":1}}',
    "\u0000",
    "\ud800",
    "新工单",
    "/ticket",
    "工单 CS2026110001",
    "@_user_1 新工单 <at id=all></at>",
    "<at>closeloop</at> /ticket <script>x</script>",
    "__proto__",
    "constructor",
    "a".repeat(5000),
  ),
);
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v ?? null) ?? "null")),
);

let w: SecurityWorld;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  const { leaks, counts } = w.ledger.scan();
  await w?.stop();
  flushTallies("fuzz", { artifacts: counts, leaks: leaks.length, runs: FUZZ_RUNS });
  expect(leaks).toEqual([]);
});

/** Outbox rows that failed with a programming error (a parser that threw on what it was given). */
async function crashedRows() {
  return (await w.cl.store.dueOutbox(FAR, 10_000)).filter((o) =>
    /TypeError|RangeError|SyntaxError|Cannot read|is not a function|undefined/.test(o.lastError ?? ""),
  );
}

describe("the parsers themselves", () => {
  it("Feishu verifyPush never throws, and nothing unsigned becomes an event", () => {
    const t = tally("fuzz:feishu-verify");
    fc.assert(
      fc.property(
        fc.oneof(
          nasty,
          jsonish.map((v) => JSON.stringify(v)),
        ),
        fc.record({
          "x-lark-request-timestamp": fc.option(fc.oneof(nasty, fc.integer().map(String)), {
            nil: undefined,
          }),
          "x-lark-request-nonce": fc.option(nasty, { nil: undefined }),
          "x-lark-signature": fc.option(nasty, { nil: undefined }),
        }),
        (raw, headers) => {
          t.tried++;
          const v = verifyPush(raw, headers, {
            verificationToken: FEISHU.verificationToken,
            encryptKey: FEISHU.encryptKey,
            appId: "cli_app",
            now: Date.now(),
          });
          expect(["refused", "challenge", "envelope"]).toContain(v.kind);
          expect(v.kind).not.toBe("envelope");
          if (v.kind === "refused") t.refused++;
        },
      ),
      runs,
    );
    // Correctly signed, but any JSON at all inside: still never a throw.
    fc.assert(
      fc.property(jsonish, (value) => {
        t.tried++;
        const raw = JSON.stringify(value);
        const ts = String(Math.floor(Date.now() / 1000));
        const v = verifyPush(
          raw,
          {
            "x-lark-request-timestamp": ts,
            "x-lark-request-nonce": "n",
            "x-lark-signature": signBody(ts, "n", FEISHU.encryptKey, raw),
          },
          {
            verificationToken: FEISHU.verificationToken,
            encryptKey: FEISHU.encryptKey,
            appId: "cli_app",
            now: Date.now(),
          },
        );
        if (v.kind === "refused") t.refused++;
      }),
      runs,
    );
  });

  it("Feishu commandText never throws on any message content or mentions", () => {
    const t = tally("fuzz:feishu-message");
    const mention = fc.record({
      key: nasty,
      id: fc.record({ open_id: fc.option(nasty, { nil: undefined }) }),
      name: fc.option(nasty, { nil: undefined }),
    });
    fc.assert(
      fc.property(
        nasty,
        fc.array(mention, { maxLength: 5 }),
        fc.constantFrom("text", "post", "image"),
        (content, mentions, type) => {
          t.tried++;
          const e = messageEventSchema.parse({
            event_id: "ev",
            sender: { sender_id: { open_id: "ou_x" } },
            message: {
              message_id: "om",
              chat_id: "oc",
              chat_type: "group",
              message_type: type,
              content,
              mentions,
            },
          });
          const text = commandText(e, "ou_bot");
          expect(text === undefined || typeof text === "string").toBe(true);
        },
      ),
      runs,
    );
    // People whose display names hold the next mention's key: replacing key after key would multiply the
    // text at each step (16^12 here); one pass keeps it to what was typed plus the names.
    t.tried++;
    const chain = Array.from({ length: 12 }, (_, i) => ({
      key: `@_user_${i + 2}`,
      id: { open_id: `ou_${i}` },
      name: `@_user_${i + 3}`.repeat(16),
    }));
    const chained = messageEventSchema.parse({
      event_id: "ev",
      sender: { sender_id: { open_id: "ou_x" } },
      message: {
        message_id: "om",
        chat_id: "oc",
        chat_type: "p2p",
        message_type: "text",
        content: JSON.stringify({ text: `新工单 ${"@_user_2 ".repeat(200)}` }),
        mentions: chain,
      },
    });
    expect(commandText(chained, "ou_bot")!.length).toBeLessThan(200 * 16 * 12 + 1000);
    for (const content of ["null", "[]", "0", '"text"', '{"text":null}', "true"]) {
      t.tried++;
      const e = messageEventSchema.parse({
        event_id: "ev",
        sender: { sender_id: { open_id: "ou_x" } },
        message: { message_id: "om", chat_id: "oc", chat_type: "p2p", message_type: "text", content },
      });
      expect(commandText(e, "ou_bot"), content).toBeUndefined();
    }
  });

  it("Teams readMessage never throws and never grows text without bound", () => {
    const t = tally("fuzz:teams-message");
    const entity = fc.record({
      type: fc.constantFrom("mention", "clientInfo", "x"),
      text: fc.option(nasty, { nil: undefined }),
      mentioned: fc.record({
        id: fc.constantFrom("28:bot", "29:someone", "x"),
        name: fc.option(nasty, { nil: undefined }),
      }),
    });
    fc.assert(
      fc.property(nasty, fc.array(entity, { maxLength: 8 }), (text, entities) => {
        t.tried++;
        const parsed = activitySchema.safeParse({ ...baseActivity(), text, entities });
        if (!parsed.success) return;
        const read = readMessage(parsed.data);
        expect(typeof read.text).toBe("string");
        expect(read.text.length).toBeLessThanOrEqual((text.length + 1) * 501);
      }),
      runs,
    );
    // Mention texts of one character with long names, several of them: each substitution must not feed
    // the next (28 000 characters × 500 × 500 … would exhaust the heap).
    t.tried++;
    const many = activitySchema.parse({
      ...baseActivity(),
      text: "a b ".repeat(7000),
      entities: ["a", "b", "c", "d"].map((c, i) => ({
        type: "mention",
        text: c,
        mentioned: { id: `29:${i}`, name: "abcd".repeat(125) },
      })),
    });
    const started = performance.now();
    const read = readMessage(many);
    expect(read.text.length).toBeLessThan(20_000_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("the chat grammar never throws and says only what the text says", () => {
    const t = tally("fuzz:chat-grammar");
    const prefixed = fc.tuple(
      fc.constantFrom(
        "",
        "/ticket",
        "新工单",
        "工单",
        "/工单",
        "报修",
        "投诉",
        "/mine",
        "看板",
        "/help",
        "？",
        "/new",
      ),
      fc.constantFrom("", " ", ":", "：", "\n", "\t", "，"),
      nasty,
    );
    fc.assert(
      fc.property(
        fc.oneof(
          nasty,
          prefixed.map(([a, b, c]) => a + b + c),
        ),
        (text) => {
          t.tried++;
          const cmd = parseChatCommand(text);
          expect(["create", "create_form", "show", "mine", "board", "help", "unknown"]).toContain(cmd.kind);
          const flat = text.replace(/\s+/g, " ").trim();
          if (cmd.kind === "create") {
            expect(cmd.description.length).toBeGreaterThan(0);
            expect(flat).toContain(cmd.description);
          }
          if (cmd.kind === "show") expect(cmd.number).toMatch(/^[A-Z]{1,8}\d{10,}$/);
          if (cmd.kind === "unknown") expect(cmd.text).toBe(flat);
        },
      ),
      runs,
    );
  });

  it("DingTalk and Teams wire schemas never throw", () => {
    const t = tally("fuzz:schemas");
    fc.assert(
      fc.property(jsonish, (v) => {
        t.tried += 4;
        for (const schema of [robotMessageSchema, cardCallbackSchema, activitySchema, executeValueSchema])
          expect(typeof schema.safeParse(v).success).toBe("boolean");
      }),
      runs,
    );
  });
});

function baseActivity(): Record<string, unknown> {
  return {
    type: "message",
    id: "1",
    serviceUrl: "https://smba.example/teams/",
    channelId: "msteams",
    from: { id: "29:x", aadObjectId: "x" },
    recipient: { id: "28:bot" },
    conversation: { id: "a:1" },
  };
}

describe("through the server, signed as the platform signs", () => {
  it("Feishu: any event body, correctly signed and encrypted, is answered without a 500; malformed ones write nothing", async () => {
    const t = tally("fuzz:feishu-http");
    const ticket = await w.ticket("pending");
    const value = fc.oneof(
      jsonish,
      fc.record({
        action: fc.oneof(
          fc.constantFrom("start", "claim", "resolve", "create", "refresh", "nudge", "assign", "survey"),
          nasty,
        ),
        ticket: fc.oneof(fc.constant(ticket.state.number), nasty),
        version: fc.oneof(fc.integer(), fc.double(), nasty, fc.constant(ticket.state.version)),
        form: fc.option(fc.constantFrom("open", "x"), { nil: undefined }),
      }),
    );
    const event = fc.oneof(
      fc.tuple(
        fc.constant("im.message.receive_v1"),
        fc.oneof(jsonish, fc.record({ sender: jsonish, message: jsonish })),
      ),
      fc.tuple(
        fc.constant("card.action.trigger"),
        fc.record({
          operator: fc.oneof(
            jsonish,
            fc.record({ open_id: fc.oneof(nasty, fc.constant("ou_not_a_person")) }),
          ),
          action: fc.oneof(jsonish, fc.record({ value, form_value: fc.option(jsonish, { nil: undefined }) })),
          context: jsonish,
        }),
      ),
      fc.tuple(fc.oneof(nasty, fc.constantFrom("im.chat.member.bot.added_v1", "unknown.event")), jsonish),
    );
    await fc.assert(
      fc.asyncProperty(event, async ([type, body]) => {
        t.tried++;
        const env = w.feishu.emu.envelope(type || "x", body as Record<string, unknown>);
        const malformedMessage =
          type === "im.message.receive_v1" &&
          !messageEventSchema.safeParse({ ...(body as object), event_id: "e" }).success;
        const mark = w.spy.mark();
        const req = signedRequest(env, FEISHU.encryptKey);
        const res = await fetch(`${w.url}/feishu/events`, {
          method: "POST",
          headers: req.headers,
          body: req.body,
        });
        expect(res.status, await res.text()).not.toBe(500);
        expect([200, 401]).toContain(res.status);
        const writes = w.spy.ticketWritesSince(mark);
        // A card click by no one in the directory, or with a value no card carries, changes nothing.
        expect(writes).toEqual([]);
        if (malformedMessage) {
          expect(w.spy.since(mark)).toEqual([]);
          t.refused++;
        }
      }),
      runs,
    );
    await w.drain();
    expect(await crashedRows()).toEqual([]);
  });

  it("DingTalk: any body under a good sign is answered 200 or 400, never 500; malformed ones write nothing", async () => {
    const t = tally("fuzz:dingtalk-http");
    let n = 0;
    const body = fc.oneof(
      jsonish,
      nasty,
      fc.record({
        msgId: fc.oneof(nasty, fc.uuid()),
        conversationId: fc.oneof(nasty, fc.constant(DING_GROUP)),
        conversationType: fc.oneof(fc.constantFrom("1", "2", "3"), nasty),
        msgtype: fc.oneof(fc.constantFrom("text", "richText", "picture"), nasty),
        text: fc.oneof(jsonish, fc.record({ content: nasty })),
        senderStaffId: fc.oneof(nasty, fc.constantFrom("u_agent_li", "u_stranger")),
        sessionWebhook: fc.oneof(nasty, fc.webUrl()),
        sessionWebhookExpiredTime: fc.oneof(fc.integer(), fc.double(), nasty),
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (data) => {
        t.tried++;
        const ts = String(w.clock.now().getTime() - 100_000 - n++);
        const sign = createHmac("sha256", DINGTALK.secret)
          .update(`${ts}\n${DINGTALK.secret}`)
          .digest("base64");
        const raw = typeof data === "string" ? data : JSON.stringify(data);
        const mark = w.spy.mark();
        const res = await fetch(w.dingtalk.url, {
          method: "POST",
          headers: { "content-type": "application/json", timestamp: ts, sign },
          body: raw,
        });
        expect([200, 400]).toContain(res.status);
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = undefined;
        }
        if (!robotMessageSchema.safeParse(parsed).success) {
          expect(res.status).toBe(400);
          expect(w.spy.since(mark)).toEqual([]);
          t.refused++;
        }
      }),
      runs,
    );
    await w.drain();
    expect(await crashedRows()).toEqual([]);
  });

  it("DingTalk: any card callback frame is acknowledged, and a malformed one writes nothing", async () => {
    const t = tally("fuzz:dingtalk-card");
    const ticket = await w.ticket("pending");
    const params = fc.oneof(
      jsonish,
      fc.record({
        action: fc.oneof(fc.constantFrom("start", "resolve", "create", "assign", "survey"), nasty),
        ticket: fc.oneof(fc.constant(ticket.state.number), nasty),
        version: fc.oneof(fc.integer(), nasty, fc.constant(String(ticket.state.version))),
        solution: fc.option(nasty, { nil: undefined }),
        resolutionScore: fc.option(fc.oneof(nasty, fc.integer()), { nil: undefined }),
      }),
    );
    const frame = fc.oneof(
      jsonish,
      fc.record({
        type: fc.constant("actionCallback"),
        outTrackId: fc.oneof(nasty, fc.constant("track_x")),
        userId: fc.oneof(nasty, fc.constantFrom("u_stranger", "u_nobody")),
        spaceType: fc.oneof(nasty, fc.constantFrom("IM_GROUP", "IM_ROBOT")),
        spaceId: fc.option(nasty, { nil: undefined }),
        content: fc.oneof(
          nasty,
          params.map((p) => JSON.stringify({ cardPrivateData: { actionIds: ["b"], params: p } })),
          jsonish.map((v) => JSON.stringify(v)),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (data) => {
        t.tried++;
        const mark = w.spy.mark();
        const pushed = w.dingtalk.emu.gateway.push("CALLBACK", "/v1.0/card/instances/callback", data);
        const answer = await w.dingtalk.emu.gateway.waitForAck(pushed.messageId, 5000);
        expect(answer, "acknowledged").toBeDefined();
        expect(w.spy.ticketWritesSince(mark)).toEqual([]);
        t.refused++;
      }),
      runs,
    );
    expect(w.dingtalk.emu.gateway.badAcks).toEqual([]);
  });

  it("Teams: any activity with a good token is answered 202, 200, 400 or 501, never 500; invokes of no card write nothing", async () => {
    const t = tally("fuzz:teams-http");
    const made = await w.ticket("pending");
    // the new ticket's own notifications (its card to the owner is recorded on it) settle first
    await w.drain();
    const ticket = await w.cl.service.get(made.state.number);
    const users = w.teams.users;
    const activity = fc.oneof(
      jsonish.map((v) => ({ kind: "raw" as const, v })),
      fc
        .record({
          type: fc.oneof(
            fc.constantFrom("message", "invoke", "conversationUpdate", "installationUpdate", "typing"),
            nasty,
          ),
          name: fc.option(fc.oneof(fc.constant("adaptiveCard/action"), nasty), { nil: undefined }),
          text: fc.option(nasty, { nil: undefined }),
          value: fc.option(
            fc.oneof(
              jsonish,
              fc.record({
                action: fc.record({
                  type: fc.oneof(fc.constant("Action.Execute"), nasty),
                  verb: fc.oneof(fc.constantFrom("start", "resolve", "claim", "create", "refresh"), nasty),
                  data: fc.oneof(
                    jsonish,
                    fc.record({
                      ticket: fc.oneof(fc.constant(ticket.state.number), nasty),
                      version: fc.oneof(fc.integer(), nasty),
                    }),
                  ),
                }),
              }),
            ),
            { nil: undefined },
          ),
          entities: fc.option(fc.array(jsonish, { maxLength: 4 }), { nil: undefined }),
          from: fc.constantFrom(users.stranger, users["eng-bill"]),
        })
        .map((r) => ({ kind: "activity" as const, v: r })),
    );
    await fc.assert(
      fc.asyncProperty(activity, async (a) => {
        t.tried++;
        const base = w.teams.emu.personalMessage(users["eng-bill"], "x") as unknown as Record<
          string,
          unknown
        >;
        let body: Record<string, unknown>;
        if (a.kind === "raw")
          body = {
            ...((a.v && typeof a.v === "object" ? a.v : {}) as object),
            serviceUrl: w.teams.emu.serviceUrl,
          };
        else {
          const { from, ...rest } = a.v;
          body = {
            ...base,
            ...Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined)),
            from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
          };
        }
        const valid = activitySchema.safeParse(body).success;
        const mark = w.spy.mark();
        const res = await w.teams.emu.send(body);
        expect([200, 202, 400, 501]).toContain(res.status);
        if (!valid) {
          expect(res.status).toBe(400);
          expect(w.spy.since(mark)).toEqual([]);
          t.refused++;
        }
        // eng-bill may not start a tech ticket; the stranger is no one: no invoke here may write.
        if ((body as Activity).type === "invoke") expect(w.spy.ticketWritesSince(mark)).toEqual([]);
      }),
      runs,
    );
    await w.drain();
    expect(await crashedRows()).toEqual([]);
    expect((await w.cl.service.get(ticket.state.number)).state.seq).toBe(ticket.state.seq);
  });
});

describe("one poisoned inbound event does not stall the others", () => {
  it("Teams: an activity whose chat is gone is dropped, and the activities behind it are processed", async () => {
    const t = tally("fuzz:poison");
    const users = w.teams.users;
    // The person wrote, then removed the bot: the conversation no longer exists when the answer goes out.
    const gone = {
      ...w.teams.emu.personalMessage(users["agent-li"], "帮助"),
      conversation: { id: "a:1conversation-that-is-gone" },
    };
    expect((await w.teams.emu.send(gone)).status).toBe(202);
    const next = w.teams.emu.personalMessage(users["agent-zhou"], "/ticket 毒丸之后的工单 打印机卡纸");
    expect((await w.teams.emu.send(next)).status).toBe(202);
    await w.drain();
    t.tried++;
    const made = (await w.cl.store.list({ limit: 10, q: "毒丸之后的工单" })).items;
    expect(made).toHaveLength(1);
    expect((await w.cl.store.dueOutbox(FAR, 10_000)).filter((o) => o.recipient === "inbound:teams")).toEqual(
      [],
    );
    t.refused++;
    expect(w.logs.some((l) => l.includes("dropped an activity"))).toBe(true);
  });
});

describe("the HTTP API, the board API and sign-in", () => describeHttpFuzz(() => w));
