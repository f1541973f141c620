import { afterEach, describe, expect, it } from "vitest";
import { GROUP, type Harness, startHarness, waitFor } from "../dingtalk/support/harness.ts";
import { cardOf, textOf } from "../teams/cards.ts";
import { startTeamsWorld, type TeamsWorld } from "../teams/support.ts";

const ARTICLE = { title: "退款申请流程", body: "在订单详情页点击「申请退款」。<at id=all></at> @all" };
const admin = { actor: "admin", via: "api" as const };

/** Every Action.Execute data on a Teams card whose verb is `verb`. */
function executeData(card: unknown, verb: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (o.type === "Action.Execute" && o.verb === verb) out.push(o.data as Record<string, unknown>);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

let dingtalk: Harness | undefined;
let teams: TeamsWorld | undefined;
afterEach(async () => {
  await dingtalk?.close();
  await teams?.stop();
  dingtalk = undefined;
  teams = undefined;
});

describe("one-tap answers on DingTalk and Teams", () => {
  it("DingTalk: the Send button posts one answer card into the group, however often it is pressed", async () => {
    const h = await startHarness();
    dingtalk = h;
    await h.platform.start();
    await waitFor("a stream connection", () => h.emu.gateway.liveConnections === 1);
    await h.cl.knowledge.create(admin, ARTICLE);
    const sent = h.emu.robotMessage({
      conversationId: GROUP,
      senderUserId: "u_li",
      text: "新工单 怎么申请退款",
    });
    await waitFor("the ack", () => sent.frame.acked);
    await h.drain();
    const inGroup = () => [...h.emu.cards.values()].filter((c) => c.spaces.includes(`IM_GROUP.${GROUP}`));
    const card = inGroup()[0]!;
    const send = Object.entries(card.cardParamMap)
      .filter(([k, v]) => k.startsWith("button_") && v)
      .map(([, v]) => JSON.parse(v) as { params?: Record<string, unknown> })
      .find((b) => b.params?.action === "kb_send")!.params!;
    for (let i = 0; i < 2; i++)
      expect(
        (await h.emu.clickCard({ outTrackId: card.outTrackId, userId: "u_li", params: send })).answered,
      ).toBe(true);
    await h.drain();
    const answers = inGroup().filter((c) => c.cardParamMap.title?.includes("知识库答案"));
    expect(answers).toHaveLength(1);
    const words = Object.values(answers[0]!.cardParamMap).join("\n");
    expect(words).toContain("申请退款");
    expect(words).not.toMatch(/<at|atId|@all/);
    expect(answers[0]!.atUserIds).toEqual({});
  });

  it("Teams: the Send button posts one answer into the conversation, however often the invoke arrives", async () => {
    const w = await startTeamsWorld();
    teams = w;
    await w.cl.knowledge.create(admin, ARTICLE);
    const channel = w.emulator.channel();
    const msg = w.emulator.channelMessage(w.users.agent, channel, "/ticket 怎么申请退款");
    expect((await w.emulator.send(msg)).status).toBe(202);
    await w.drain();
    const conversation = msg.conversation.id;
    const [card] = w.emulator.connector.botActivities(conversation);
    const data = executeData(cardOf(card), "kb_send")[0]!;
    expect(data).toMatchObject({ action: "kb_send", article: expect.any(String) });
    const click = w.emulator.execute(w.users.agent, conversation, card!.id, "kb_send", data);
    for (let i = 0; i < 2; i++) expect((await w.emulator.invoke(click)).problems).toEqual([]);
    const again = await w.emulator.invoke(
      w.emulator.execute(w.users.agent, conversation, card!.id, "kb_send", data),
    );
    expect(textOf(again.body.value)).toContain("已由 李娜 发送");
    await w.drain();
    const answers = w.emulator.connector
      .botActivities(conversation)
      .filter((a) => textOf(cardOf(a)).includes("知识库答案"));
    expect(answers).toHaveLength(1);
    const answer = cardOf(answers[0]);
    expect(textOf(answer)).toContain("申请退款");
    expect(answer.msteams.entities ?? []).toEqual([]);
    expect(textOf(answer)).not.toMatch(/<at>|@all/);
  });
});
