import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOSTILE } from "../cards/support/hostile.ts";
import { scanPlatformOutputs, worldHostile } from "./support/inert.ts";
import { flushTallies, tally } from "./support/ledger.ts";
import { DING_GROUP, DINGTALK, type SecurityWorld, startWorld, type Who } from "./support/world.ts";

/**
 * Issue 11, part 3: ticket text carrying Feishu <at> tags, DingTalk @ and <a atId>, Teams <at> markup,
 * markdown links, HTML and script, typed into every chat and the API, then driven through the whole loop
 * (cards, nudges into the ticket's chat, comments, resolve/reopen, overdue alerts and digests, 我的工单).
 * Every card and message the three platforms receive is then read: no mention of anyone the system would
 * never mention, no link but the board's, nothing a client would run. The renderer-level corpus for every
 * card kind x platform x locale is test/cards/hostile.test.ts; this is the same text through the real
 * adapters, plus the board's pages and API.
 */
let w: SecurityWorld;
let hostile: string[];
const numbers: string[] = [];

beforeAll(async () => {
  // No routing rules: every ticket stays in tech (owners eng-liu/eng-sun, head head-tech, then head-support).
  w = await startWorld({ config: { routing: { rules: [] } } });
  hostile = [...worldHostile(w), ...HOSTILE];
});
afterAll(async () => {
  const { leaks, counts } = w.ledger.scan();
  await w?.stop();
  flushTallies("injection", { artifacts: counts, leaks: leaks.length });
  expect(leaks.map((l) => `${l.kind} ${l.source}: ${l.phone} …${l.excerpt}…`)).toEqual([]);
});

const sign = (ts: string) =>
  createHmac("sha256", DINGTALK.secret).update(`${ts}\n${DINGTALK.secret}`).digest("base64");
let dingTs = 0;
async function dingSays(who: Who, text: string, conversationType: "1" | "2" = "2") {
  const ts = String(w.clock.now().getTime() + ++dingTs);
  const data = {
    ...w.dingtalk.emu.robotMessageData({
      conversationId: DING_GROUP,
      senderUserId: w.dingUser(who),
      text,
      conversationType,
    }),
    ...(conversationType === "1" ? { conversationId: `cid1on1${who}==` } : {}),
  };
  const res = await fetch(w.dingtalk.url, {
    method: "POST",
    headers: { "content-type": "application/json", timestamp: ts, sign: sign(ts) },
    body: JSON.stringify(data),
  });
  expect(res.status).toBe(200);
}
const feishuSays = (who: Who, text: string) =>
  w.feishu.emu.userSends({
    chatId: w.feishu.group,
    from: w.feishu.users[who].open_id,
    text,
    mentionBot: true,
  });
async function teamsSays(who: Who, text: string, channel?: { id: string; name: string; teamId: string }) {
  const a = channel
    ? w.teams.emu.channelMessage(w.teams.users[who], channel, text)
    : w.teams.emu.personalMessage(w.teams.users[who], text);
  expect((await w.teams.emu.send(a)).status).toBe(202);
}

describe("hostile ticket text through every platform's loop", () => {
  it("creates tickets from every chat and the API with hostile text", async () => {
    const channel = w.teams.emu.channel("售后");
    const t = tally("injection:created");
    for (const [i, text] of hostile.entries()) {
      const short = text.slice(0, 1500);
      if (i % 3 === 0) await feishuSays("agent-li", `新工单 ${short}`);
      else if (i % 3 === 1) await dingSays("agent-li", `新工单 ${short}`);
      else await teamsSays("agent-li", `/ticket ${short.replace(/</g, "&lt;")}`, i % 2 ? channel : undefined);
      t.tried++;
      await w.drain();
      if (i % 2) continue;
      const api = await w.call("POST", "/api/v1/tickets", {
        as: "agent-li",
        body: {
          description: text.slice(0, 2000) || "空",
          customer: { name: text.slice(0, 100) || "无", organisation: text.slice(0, 100) || undefined },
          product: text.slice(0, 100) || undefined,
          problemTag: text.slice(0, 100) || undefined,
          department: "tech",
        },
      });
      expect(api.status, api.text.slice(0, 200)).toBe(201);
      t.tried++;
    }
    await w.drain();
    let cursor: string | undefined;
    do {
      const page = await w.cl.store.list({ limit: 200, cursor });
      numbers.push(...page.items.map((r) => r.state.number));
      cursor = page.nextCursor;
    } while (cursor);
    expect(numbers.length).toBeGreaterThanOrEqual(Math.floor(hostile.length * 1.5) - 3);
  });

  it("drives them through start, comments, nudges, resolve, reopen, overdue alerts and 我的工单", async () => {
    const headTech = await w.boardSession("head-tech");
    for (const [i, number] of numbers.entries()) {
      const text = hostile[i % hostile.length]!.slice(0, 1000) || "x";
      let r = await w.cl.service.get(number);
      const owner = r.state.owner!;
      expect(["eng-liu", "eng-sun"]).toContain(owner);
      // Nudged before anything else, so the overdue sweep below still finds most tickets untouched.
      expect(
        (await w.call("POST", `/api/v1/tickets/${number}/nudge`, { as: "agent-li", body: {} })).status,
      ).toBe(200);
      expect(
        (await w.call("POST", `/api/v1/tickets/${number}/comment`, { as: "agent-li", body: { text } }))
          .status,
      ).toBe(200);
      if (i % 6 === 0) {
        r = await w.cl.service.get(number);
        expect(
          (
            await w.call("POST", `/api/v1/tickets/${number}/start`, {
              as: owner,
              body: { version: r.state.version },
            })
          ).status,
        ).toBe(200);
        r = await w.cl.service.get(number);
        expect(
          (
            await w.call("POST", `/api/v1/tickets/${number}/resolve`, {
              session: headTech,
              body: { version: r.state.version, solution: text },
            })
          ).status,
        ).toBe(200);
        r = await w.cl.service.get(number);
        expect(
          (
            await w.call("POST", `/api/v1/tickets/${number}/reopen`, {
              as: "agent-li",
              body: { version: r.state.version, reason: text },
            })
          ).status,
        ).toBe(200);
      }
      if (i % 8 === 0) await w.drain();
    }
    await w.drain();
    // A day and more later: every clock is past its targets; heads get alerts, several at once a digest.
    w.clock.advance(3 * 86_400_000);
    for (let i = 0; i < 20 && (await w.cl.scheduler.sweep()) > 0; i++) await w.drain();
    await w.drain();
    // The owners ask for their open tickets on every platform (the list quotes each description).
    for (const owner of ["eng-liu", "eng-sun"] as const) {
      await feishuSays(owner, "我的工单");
      await dingSays(owner, "我的工单");
      await dingSays(owner, "我的工单", "1");
      await teamsSays(owner, "/mine");
    }
    await w.drain();
    const t = tally("injection:flows");
    t.tried = numbers.length;
  });

  it("no card or message on any platform mentions, links or runs anything the author typed", () => {
    const { findings, scanned } = scanPlatformOutputs(w);
    const t = tally("injection:outputs");
    t.tried = scanned;
    t.refused = scanned - new Set(findings.map((f) => f.where)).size;
    expect(scanned).toBeGreaterThan(100);
    // The loop really ran on each platform: nudges in the ticket's chat, alerts to heads, 我的工单 answers.
    const feishuBot = [...w.feishu.emu.messages.values()].filter((m) => m.sender === "bot");
    expect(
      feishuBot.filter((m) => m.chat_id === w.feishu.group && m.content.includes("<at")).length,
    ).toBeGreaterThan(0);
    expect(w.dingtalk.emu.messages.length + w.dingtalk.emu.cards.size).toBeGreaterThan(10);
    const teamsBot = [...w.teams.emu.connector.conversations.values()].flatMap((c) =>
      [...c.activities.values()].filter((a) => a.by === "bot"),
    );
    expect(teamsBot.length).toBeGreaterThan(10);
    expect(findings).toEqual([]);
  });
});

describe("the board: pages and API", () => {
  it("serves hostile text only as JSON data and pages whose only scripts are its own", async () => {
    const t = tally("injection:board");
    const s = await w.boardSession("head-tech");
    const sample = numbers.slice(0, 12);
    const pages = [
      "/board",
      "/board/late",
      "/board/stats",
      "/board?q=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E&department=%22%3E%3Cimg",
      ...sample.map((n) => `/board/tickets/${n}`),
      `/board/tickets/${encodeURIComponent('"><script>window.__pwned=1</script>')}`,
      `/board/sign-in?next=${encodeURIComponent('/board"><script>window.__pwned=1</script>')}`,
      `/board/sign-in?next=${encodeURIComponent("javascript:window.__pwned=1")}`,
    ];
    for (const path of pages) {
      t.tried++;
      const res = await w.call("GET", path, { headers: { cookie: s.cookie } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy"), path).toContain("script-src 'self'");
      expect(res.text.match(/<script/gi)?.length, path).toBe(2);
      expect(res.text, path).not.toMatch(/<img|<iframe|<svg|javascript:|__pwned=\d<\/script/i);
      expect(res.text, path).not.toMatch(/"next":"javascript/);
      t.refused++;
    }
    for (const n of sample) {
      for (const path of [`/api/v1/tickets/${n}`, `/api/v1/board/tiles/${n}`]) {
        t.tried++;
        const res = await w.call("GET", path, { as: "head-tech" });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        t.refused++;
      }
    }
    const board = await w.call("GET", "/api/v1/board", { as: "head-tech" });
    expect(board.headers.get("content-type")).toMatch(/^application\/json/);
  });
});

describe("where the bot speaks: a ticket's chat is the platform's to name", () => {
  it("refuses an API or board ticket that claims to come from a chat, so no nudge can be sent there", async () => {
    const t = tally("injection:origin");
    // An executives' group the agent is not in, with a message the bot could reply to.
    const exec = w.feishu.emu.addGroup("高管群", [
      w.feishu.users.admin.open_id,
      w.feishu.users["head-support"].open_id,
    ]);
    const said = await w.feishu.emu.userSends({
      chatId: exec.chat_id,
      from: w.feishu.users.admin.open_id,
      text: "季度会议",
    });
    const forged = [
      { platform: "feishu", chatId: exec.chat_id, messageId: said.message.message_id },
      { platform: "dingtalk", chatId: "cidExecutives==", messageId: "msgExec" },
      { platform: "teams", chatId: "19:executives@thread.tacv2", messageId: "1" },
    ];
    const zhou = await w.boardSession("agent-zhou");
    for (const origin of forged)
      for (const via of ["api", "board"] as const) {
        t.tried++;
        const body = { description: "冒充来源的工单 打印机卡纸", department: "tech", origin };
        const res =
          via === "api"
            ? await w.call("POST", "/api/v1/tickets", { as: "agent-zhou", body })
            : await w.call("POST", "/api/v1/tickets", { session: zhou, body });
        expect({ via, origin: origin.platform, status: res.status }).toEqual({
          via,
          origin: origin.platform,
          status: 400,
        });
        expect(JSON.stringify(res.body.error.details)).toContain("origin");
        t.refused++;
      }
    // Whatever was created, nudging it never reaches the executives' group.
    for (const r of (await w.cl.store.list({ limit: 20, q: "冒充来源" })).items)
      await w.call("POST", `/api/v1/tickets/${r.state.number}/nudge`, { as: "agent-zhou", body: {} });
    await w.drain();
    expect(w.feishu.emu.messagesIn(exec.chat_id).filter((m) => m.sender === "bot")).toEqual([]);
    // The API's own origin (no chat) is still fine.
    const plain = await w.call("POST", "/api/v1/tickets", {
      as: "agent-zhou",
      body: { description: "正常的 API 工单", department: "tech", origin: { platform: "api" } },
    });
    expect(plain.status).toBe(201);
  });
});
