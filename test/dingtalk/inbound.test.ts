import { afterEach, describe, expect, it } from "vitest";
import { GROUP, type Harness, startHarness, waitFor } from "./support/harness.ts";

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

async function boot(o: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(o);
  open.push(h);
  await h.platform.start();
  await waitFor("a stream connection", () => h.emu.gateway.liveConnections === 1);
  return h;
}

async function say(h: Harness, userId: string, text: string, conversationType: "1" | "2" = "2") {
  const conversationId = conversationType === "2" ? GROUP : `cid1on1_${userId}`;
  const sent = h.emu.robotMessage({ conversationId, senderUserId: userId, text, conversationType });
  await waitFor("the ack", () => sent.frame.acked);
  await h.drain();
  return h.emu.messages.at(-1);
}

describe("DingTalk robot messages: the shared chat grammar", () => {
  it("answers help, unknown text, 我的工单, 看板, 工单 <number>, and someone outside the directory", async () => {
    const h = await boot();
    expect((await say(h, "u_li", "帮助"))!.text).toContain("新工单");
    expect((await say(h, "u_li", "今天天气不错"))!.text).toContain("新工单");
    expect((await say(h, "u_stranger", "新工单 X200"))!.text).toContain("通讯录");
    expect((await h.cl.store.list({ limit: 5 })).items).toHaveLength(0);
    expect((await say(h, "u_liu", "我的工单"))!.text).toContain("没有");
    expect((await say(h, "u_li", "看板"))!.text).toContain("看板");

    await say(h, "u_li", "/ticket 打印机卡纸");
    const number = (await h.cl.store.list({ limit: 5 })).items[0]!.state.number;
    expect((await say(h, "u_liu", "我的工单"))!.text).toContain(number);
    // 1:1 with the robot: `工单 <number>` posts the card there, rendered for that person; once per place.
    const before = h.emu.cards.size;
    await say(h, "u_li", `工单 ${number}`, "1");
    expect(h.emu.cards.size).toBe(before + 1);
    expect([...h.emu.cards.values()].at(-1)!.spaces).toEqual(["IM_ROBOT.u_li"]);
    await say(h, "u_liu", `工单 ${number}`, "1");
    expect(h.emu.cards.size).toBe(before + 1);
  });

  it("新工单 alone posts the new-ticket form; submitting it creates the ticket on that very card", async () => {
    const h = await boot();
    await say(h, "u_li", "新工单");
    const form = [...h.emu.cards.values()].at(-1)!;
    expect(form.cardParamMap.form).toContain("create");
    const created = await h.emu.clickCard({
      outTrackId: form.outTrackId,
      userId: "u_li",
      params: {
        action: "create",
        ticket: "",
        version: 0,
        description: "客户说 X200 充不进电",
        customerName: "王先生",
      },
    });
    expect(created.answered).toBe(true);
    const t = (await h.cl.store.list({ limit: 5 })).items[0]!.state;
    expect(t.placements.map((p) => p.messageId)).toEqual([form.outTrackId]);
    expect(h.emu.cards.get(form.outTrackId)!.cardParamMap.ticket).toBe(t.number);
  });

  it("acknowledges a click at once and updates the card right after when the command is slower than the budget", async () => {
    const h = await boot({ platform: { answerBudgetMs: 30 } });
    await say(h, "u_li", "新工单 慢操作");
    const t = (await h.cl.store.list({ limit: 5 })).items[0]!.state;
    const card = [...h.emu.cards.values()].find((c) => c.spaces.includes(`IM_GROUP.${GROUP}`))!;
    const clicks = h.platform.clicks;
    const original = clicks.answer.bind(clicks);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    clicks.answer = async (cb) => {
      await gate;
      return original(cb);
    };
    const click = await h.emu.clickCard({
      outTrackId: card.outTrackId,
      userId: "u_liu",
      params: { action: "start", ticket: t.number, version: t.version },
    });
    expect(click.answered).toBe(true);
    expect(click.response).toEqual({});
    release();
    await waitFor(
      "the card update",
      () => h.emu.cards.get(card.outTrackId)!.cardParamMap.tags?.includes("处理中") === true,
    );
    expect((await h.cl.service.get(t.number)).state.status).toBe("in_progress");
  });

  it("reports a setup error once, with the fix (unknown card template), and stops retrying it", async () => {
    const h = await boot({ env: { DINGTALK_CARD_TEMPLATE_ID: "not-published" } });
    await say(h, "u_li", "新工单 模板错误");
    await say(h, "u_li", "新工单 模板错误 2");
    const lines = h.logs.filter((l) => l.includes("param.templateNotExist") && l.includes("setup problem"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("card builder");
    expect(h.platform.problems.list().map((p) => p.code)).toEqual(["param.templateNotExist"]);
  });
});
