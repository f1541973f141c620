import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvLine } from "../../adapters/cli/csv.ts";
import { LOCALES } from "../../core/i18n/locale.ts";
import { recordTableHeader, recordTableRow } from "../../core/ticket/record-table.ts";
import { flushTallies, KNOWN_PHONES, rawPhones, tally } from "./support/ledger.ts";
import { DING_GROUP, DINGTALK, type SecurityWorld, startWorld } from "./support/world.ts";

/**
 * Issue 11, part 5: phone numbers typed every way people type them, into every field of every surface,
 * through the whole loop; then every card and message the platforms received, every board page and API
 * answer, the record-table export and every log line are scanned for a raw number: zero. (Each security
 * test file runs the same scan over what it produced; answers to an allowed reveal-contact are the one
 * place a contact is shown in clear, audited, and are counted apart.)
 */
let w: SecurityWorld;

/** Every form of the known numbers that people type: spaced, dashed, dotted, +86, full-width, glued, hidden. */
const FORMS = [
  "13800138000",
  "138 1234 5678",
  "+86 139-1234-5678",
  "137.0000.1111",
  "tel15012345678",
  "１８６１１１１２２２２",
  "186\u200b1111\u200b2222",
  "021-12345678",
  "02112345678",
  "+44 7700 900123",
];
const typed = (i: number) => `客户电话 ${FORMS[i % FORMS.length]}，备用 ${FORMS[(i + 3) % FORMS.length]}`;

beforeAll(async () => {
  w = await startWorld({ config: { routing: { rules: [] }, nudge: { urgent: true } } });
});
afterAll(async () => {
  await w?.stop();
});

describe("contact data typed everywhere, shown nowhere", () => {
  it("runs the loop with phone numbers in every free-text field on every surface", async () => {
    const numbers: string[] = [];
    // Chats.
    for (let i = 0; i < 3; i++) {
      await w.feishu.emu.userSends({
        chatId: w.feishu.group,
        from: w.feishu.users["agent-li"].open_id,
        text: `新工单 X200 无法开机 ${typed(i)}`,
        mentionBot: true,
      });
      const ts = String(w.clock.now().getTime() + i);
      const data = w.dingtalk.emu.robotMessageData({
        conversationId: DING_GROUP,
        senderUserId: w.dingUser("agent-li"),
        text: `新工单 钉钉 打印机卡纸 ${typed(i + 1)}`,
      });
      const sign = createHmac("sha256", DINGTALK.secret).update(`${ts}\n${DINGTALK.secret}`).digest("base64");
      await fetch(w.dingtalk.url, {
        method: "POST",
        headers: { "content-type": "application/json", timestamp: ts, sign },
        body: JSON.stringify(data),
      });
      await w.teams.emu.send(
        w.teams.emu.personalMessage(w.teams.users["agent-li"], `/ticket Teams 屏幕闪烁 ${typed(i + 2)}`),
      );
    }
    await w.drain();
    // The API and the board, every free-text field.
    for (let i = 0; i < FORMS.length; i++) {
      const res = await w.call("POST", "/api/v1/tickets", {
        as: "agent-li",
        body: {
          description: `无法开机 ${typed(i)}`,
          customer: {
            name: `张先生 ${FORMS[(i + 1) % FORMS.length]}`,
            phone: FORMS[i],
            organisation: `某公司 ${FORMS[(i + 2) % FORMS.length]}`,
          },
          occurredWhere: `门店 ${FORMS[(i + 4) % FORMS.length]}`,
          problemTag: `回电 ${FORMS[(i + 5) % FORMS.length]}`,
          product: `X200 ${FORMS[(i + 7) % FORMS.length]}`,
          department: "tech",
        },
      });
      expect(res.status, res.text.slice(0, 300)).toBe(201);
    }
    let cursor: string | undefined;
    do {
      const page = await w.cl.store.list({ limit: 200, cursor });
      numbers.push(...page.items.map((r) => r.state.number));
      cursor = page.nextCursor;
    } while (cursor);
    expect(numbers.length).toBe(9 + FORMS.length);

    const board = { "eng-liu": await w.boardSession("eng-liu"), "eng-sun": await w.boardSession("eng-sun") };
    for (const [i, number] of numbers.entries()) {
      const t = await w.cl.service.get(number);
      const owner = t.state.owner as "eng-liu" | "eng-sun";
      const run = async (who: string, command: string, body: Record<string, unknown>, session = false) => {
        const version = (await w.cl.service.get(number)).state.version;
        const res = session
          ? await w.call("POST", `/api/v1/tickets/${number}/${command}`, {
              session: board[owner],
              body: { version, ...body },
            })
          : await w.call("POST", `/api/v1/tickets/${number}/${command}`, {
              as: who,
              body: { version, ...body },
            });
        expect(res.status, `${command}: ${res.text.slice(0, 300)}`).toBe(200);
      };
      await run("agent-li", "nudge", {});
      await run("agent-zhou", "comment", { text: `客户又来电 ${typed(i + 1)}` });
      await run(owner, "update", { problemTag: `联系 ${FORMS[(i + 6) % FORMS.length]}` });
      if (i % 3 === 0) {
        await run(owner, "start", {}, true);
        await run(owner, "pause", { reason: `等客户回电 ${typed(i + 2)}` }, true);
        await run(owner, "resume", {}, true);
        await run(owner, "resolve", { solution: `已电话 ${typed(i + 3)} 指导` }, true);
        await run("agent-li", "confirm", { result: "disputed", reason: `客户 ${typed(i + 4)} 不认可` });
        await run(owner, "resolve", { solution: `上门 ${typed(i + 5)}` }, true);
        await run("agent-li", "confirm", { result: "confirmed" });
        await run("agent-li", "survey", {
          resolutionScore: 1,
          attitudeScore: 2,
          method: "phone",
          suggestion: `回访号码 ${typed(i + 6)}`,
        });
        await run("head-tech", "remedy", { note: `已致电 ${typed(i + 7)}` });
      }
      // A refused reveal says nothing; an allowed one is the audited exception.
      expect(
        (await w.call("POST", `/api/v1/tickets/${number}/reveal-contact`, { as: "eng-bill", body: {} }))
          .status,
      ).toBe(403);
      expect(
        (await w.call("POST", `/api/v1/tickets/${number}/reveal-contact`, { as: "agent-li", body: {} }))
          .status,
      ).toBe(200);
    }
    await w.drain();
    w.clock.advance(4 * 86_400_000);
    for (let i = 0; i < 20 && (await w.cl.scheduler.sweep()) > 0; i++) await w.drain();
    await w.drain();
    for (const owner of ["eng-liu", "eng-sun"] as const) {
      await w.feishu.emu.userSends({
        chatId: w.feishu.group,
        from: w.feishu.users[owner].open_id,
        text: "我的工单",
        mentionBot: true,
      });
      await w.teams.emu.send(w.teams.emu.personalMessage(w.teams.users[owner], "/mine"));
    }
    await w.drain();
  });

  it("reads everything back the ways people do: board pages, board and ticket API, search, stats, export", async () => {
    const s = await w.boardSession("head-tech");
    const list = await w.call("GET", "/api/v1/tickets?limit=200&archived=true", { as: "admin" });
    const numbers = (list.body.items as { number: string }[]).map((t) => t.number);
    for (const path of [
      "/board",
      "/board/late",
      "/board/stats",
      ...numbers.map((n) => `/board/tickets/${n}`),
    ])
      expect((await w.call("GET", path, { headers: { cookie: s.cookie } })).status).toBe(200);
    for (const n of numbers) {
      await w.call("GET", `/api/v1/tickets/${n}`, { as: "head-tech" });
      await w.call("GET", `/api/v1/board/tiles/${n}`, { as: "head-tech" });
    }
    for (const path of [
      "/api/v1/board",
      "/api/v1/board?q=13800138000",
      "/api/v1/board/late",
      "/api/v1/stats",
      ...KNOWN_PHONES.map((p) => `/api/v1/tickets?q=${encodeURIComponent(p)}`),
      `/api/v1/tickets?q=${encodeURIComponent("+86 138 0013 8000")}`,
    ])
      expect((await w.call("GET", path, { as: "head-tech" })).status).toBe(200);
    // A search by phone finds the ticket (exact match on the sealed hash) without echoing the number.
    const found = await w.call("GET", "/api/v1/tickets?q=13800138000", { as: "head-tech" });
    expect(found.body.items.length).toBeGreaterThan(0);
    // The service record table, as `closeloop export` writes it.
    for (const locale of LOCALES) {
      let csv = `\uFEFF${csvLine(recordTableHeader(locale))}`;
      let cursor: string | undefined;
      do {
        const page = await w.cl.store.list({ limit: 200, cursor, includeArchived: true });
        for (const r of page.items) csv += csvLine(recordTableRow(r.state, w.cl.directory, locale));
        cursor = page.nextCursor;
      } while (cursor);
      w.ledger.record("export", `record table ${locale}`, csv);
    }
  });

  it("finds no raw phone number in any card, message, board answer, API answer, export or log line", () => {
    const { counts, leaks } = w.ledger.scan();
    const t = tally("privacy:artifacts");
    t.tried = Object.values(counts).reduce((a, b) => a + b, 0);
    t.refused = t.tried - leaks.length;
    flushTallies("privacy", { artifacts: counts, leaks: leaks.length, revealed: w.ledger.revealed });
    // Everything was there to be scanned.
    expect(counts.card).toBeGreaterThan(30);
    expect(counts.log).toBeGreaterThan(100);
    expect(counts.export).toBe(LOCALES.length);
    expect(counts.board).toBeGreaterThan(20);
    expect(w.ledger.revealed).toBeGreaterThan(0);
    expect(leaks.map((l) => `${l.kind} ${l.source}: ${l.phone} …${l.excerpt}…`)).toEqual([]);
  });

  it("the scanner itself finds every form typed above", () => {
    for (const form of FORMS) expect(rawPhones(`x ${form} y`), form).not.toEqual([]);
    for (const form of FORMS)
      expect(rawPhones(JSON.stringify({ a: JSON.stringify({ b: form }) })), form).not.toEqual([]);
    expect(rawPhones("138****8000 CS2026110001 2026-11-23T02:00:00.000Z 1796603711798")).toEqual([]);
  });
});
