import { afterEach, describe, expect, it } from "vitest";
import { answerOf, buttonValue, type Harness, startHarness } from "../feishu/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const HOSTILE_BODY = [
  "在订单详情页点击「申请退款」。<at id=all></at> @all 请大家注意",
  "[点我退款](javascript:alert(1)) <script>alert(1)</script> <a href='https://evil.example.com'>x</a>",
].join("\n\n");

describe("one-tap answer from the knowledge base, through Feishu", () => {
  it("posts the answer into the ticket's chat once though the click arrives twice, then records that it solved the problem", async () => {
    h = await startHarness();
    const admin = { actor: "admin", via: "api" as const };
    const refund = await h.cl.knowledge.create(admin, {
      title: "退款申请流程",
      body: HOSTILE_BODY,
      tags: ["退款"],
    });
    await h.cl.knowledge.create(admin, { title: "发票重开", body: "在我的发票中作废后重新开具。" });

    const asked = await h.emu.userSends({
      chatId: h.group,
      from: h.ids.agent,
      text: "新工单 客户问怎么申请退款",
      mentionBot: true,
    });
    await h.drain();
    const cardMessage = h.emu.botMessages().find((m) => m.parent_id === asked.message.message_id)!;
    const card = h.emu.cardOf(cardMessage.message_id);
    expect(JSON.stringify(card)).toContain("推荐知识");
    const send = buttonValue(card, "kb_send")!;
    expect(send).toMatchObject({ action: "kb_send", article: refund.id });

    const click = () =>
      h!.emu.clickCard({ messageId: cardMessage.message_id, operator: h!.ids.agent, value: send });
    const first = answerOf(await click());
    const second = answerOf(await click());
    expect(first.toast).toMatchObject({ type: "success" });
    expect(first.toast.i18n.zh_cn).toContain("已发送到聊天");
    expect(second.toast.i18n.en_us).toContain("Already sent");
    await h.drain();

    const answers = h.emu
      .messagesIn(h.group)
      .filter((m) => m.sender === "bot" && m.content.includes("知识库答案"));
    expect(answers).toHaveLength(1);
    const answer = answers[0]!;
    // In the ticket's thread, under the customer's request.
    expect(answer.parent_id).toBe(asked.message.message_id);
    expect(answer.content).toContain("退款申请流程");
    expect(answer.content).toContain("点我退款");
    expect(answer.content).not.toMatch(/<at|javascript:|<script|<a |@all|\]\(/i);

    // The ticket card now asks whether it helped; the answer is recorded and ranks the article.
    const refreshed = h.emu.cardOf(cardMessage.message_id);
    const solved = buttonValue(refreshed, "kb_solved")!;
    expect(solved).toMatchObject({ article: refund.id });
    const marked = answerOf(
      await h.emu.clickCard({ messageId: cardMessage.message_id, operator: h.ids.agent, value: solved }),
    );
    expect(marked.toast.i18n.zh_cn).toContain("解决了问题");
    expect(JSON.stringify(h.emu.cardOf(cardMessage.message_id))).toContain("✓ 解决了问题");
    expect(h.cl.knowledge.get(refund.id)).toMatchObject({ solved: 1, unsolved: 0 });

    // After a restart the index, the send and the mark come back from the store; nothing is sent again.
    await h.restart();
    expect(h.cl.knowledge.get(refund.id)).toMatchObject({ solved: 1 });
    await h.drain();
    expect(h.emu.messagesIn(h.group).filter((m) => m.content.includes("知识库答案"))).toHaveLength(1);
  });

  it("refuses a tap from someone who may not work the ticket, and sends nothing", async () => {
    h = await startHarness();
    await h.cl.knowledge.create(
      { actor: "admin", via: "api" },
      { title: "退款申请流程", body: "在订单页申请。" },
    );
    const asked = await h.emu.userSends({
      chatId: h.group,
      from: h.ids.agent,
      text: "新工单 怎么申请退款",
      mentionBot: true,
    });
    await h.drain();
    const cardMessage = h.emu.botMessages().find((m) => m.parent_id === asked.message.message_id)!;
    const send = buttonValue(h.emu.cardOf(cardMessage.message_id), "kb_send")!;
    const refused = answerOf(
      await h.emu.clickCard({ messageId: cardMessage.message_id, operator: h.ids.engineer, value: send }),
    );
    expect(refused.toast.type).toBe("error");
    expect(refused.toast.i18n.en_us).toContain("You may not send knowledge-base answers");
    await h.drain();
    expect(h.emu.messagesIn(h.group).filter((m) => m.content.includes("知识库答案"))).toHaveLength(0);
  });
});
