import { describe, expect, it } from "vitest";
import { callbackValueSchema, inboundCallbackSchema } from "../../cards/model/actions.ts";
import type { CardContext } from "../../cards/model/context.ts";
import { kbAnswerCard, ticketCard } from "../../cards/model/index.ts";
import { KB_TEXT_KEYS, kbText } from "../../cards/model/kb-text.ts";
import type { Button, Card } from "../../cards/model/types.ts";
import { sampleSuggestions } from "../../cards/preview/kb-samples.ts";
import { SAMPLE_NOW, sampleBoardLink, sampleDirectory, sampleView } from "../../cards/preview/samples.ts";
import { renderDingTalkCard, renderDingTalkMessage } from "../../cards/render/dingtalk.ts";
import { renderFeishu } from "../../cards/render/feishu.ts";
import { renderPlainText } from "../../cards/render/plain.ts";
import { renderTeams } from "../../cards/render/teams.ts";
import { validateDingTalkCardData } from "../../cards/validate/dingtalk.ts";
import { validateFeishuCard } from "../../cards/validate/feishu.ts";
import { validateTeamsCard } from "../../cards/validate/teams.ts";
import type { Suggestion } from "../../core/kb/views.ts";

const directory = sampleDirectory();
const ctx = (viewer?: string, knowledge?: () => readonly Suggestion[]): CardContext => ({
  directory,
  locale: "zh-CN",
  now: SAMPLE_NOW,
  boardLink: sampleBoardLink,
  ...(viewer ? { viewer: directory.person(viewer)! } : {}),
  ...(knowledge ? { knowledge } : {}),
});

const buttons = (card: Card): Button[] => card.blocks.flatMap((b) => (b.kind === "actions" ? b.buttons : []));
const kbButtons = (card: Card) => buttons(card).filter((b) => b.id.startsWith("kb_"));
const callbackOf = (b: Button) => (b.does.kind === "callback" ? b.does.value : undefined);

describe("suggestions on the ticket card", () => {
  const view = sampleView("working");

  it("lists the suggested articles, numbered, with a send button each and feedback for the one sent", () => {
    const card = ticketCard(view, ctx("agent-zhou", sampleSuggestions));
    const section = card.blocks.find((b) => b.kind === "text" && b.title === "推荐知识");
    expect(section).toBeDefined();
    const words =
      section!.kind === "text" ? section!.content.map((r) => ("text" in r ? r.text : "")).join("") : "";
    expect(words).toContain("1. ");
    expect(words).toContain("退款申请流程");
    expect(words).toContain("已由 周敏 发送");
    expect(words).toContain("⚠ 240 天未复核");
    expect(kbButtons(card).map((b) => [b.id, callbackOf(b)])).toEqual([
      [
        "kb_solved_1",
        { action: "kb_solved", ticket: view.number, version: view.version, article: "kb-refund-flow" },
      ],
      [
        "kb_unsolved_1",
        { action: "kb_unsolved", ticket: view.number, version: view.version, article: "kb-refund-flow" },
      ],
      [
        "kb_send_2",
        { action: "kb_send", ticket: view.number, version: view.version, article: "kb-return-fee" },
      ],
      [
        "kb_send_3",
        { action: "kb_send", ticket: view.number, version: view.version, article: "kb-color-diff" },
      ],
    ]);
    for (const b of kbButtons(card)) expect(callbackValueSchema.parse(callbackOf(b))).toEqual(callbackOf(b));
    // The ticket's own buttons come first, so a platform with few button slots keeps them.
    expect(buttons(card).findIndex((b) => b.id.startsWith("kb_"))).toBeGreaterThan(
      buttons(card).findIndex((b) => !b.id.startsWith("kb_")),
    );
  });

  it("shows no buttons to someone who may not use them, none on a resolved ticket, and no section without suggestions", () => {
    expect(kbButtons(ticketCard(view, ctx("eng-liu", sampleSuggestions)))).toEqual([]);
    expect(kbButtons(ticketCard(sampleView("done"), ctx("agent-zhou", sampleSuggestions)))).toEqual([]);
    // A group card (no viewer) shows them; the server checks whoever clicks.
    expect(kbButtons(ticketCard(view, ctx(undefined, sampleSuggestions)))).toHaveLength(4);
    const plain = ticketCard(view, ctx("agent-zhou"));
    expect(
      ticketCard(
        view,
        ctx("agent-zhou", () => []),
      ),
    ).toEqual(plain);
    expect(JSON.stringify(plain)).not.toContain("推荐知识");
  });

  it("a marked article keeps its mark and loses its buttons", () => {
    const marked = () =>
      sampleSuggestions().map((s, i) => (i === 0 ? { ...s, outcome: "solved" as const } : s));
    const card = ticketCard(view, ctx("agent-zhou", marked));
    expect(JSON.stringify(card)).toContain("✓ 解决了问题");
    expect(kbButtons(card).map((b) => b.id)).toEqual(["kb_send_2", "kb_send_3"]);
  });

  it("renders valid cards on every platform, in both locales", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const card = ticketCard(view, { ...ctx(undefined, sampleSuggestions), locale });
      expect(validateFeishuCard(renderFeishu(card)).ok).toBe(true);
      expect(validateTeamsCard(renderTeams(card)).ok).toBe(true);
      expect(validateDingTalkCardData(renderDingTalkCard(card)).ok).toBe(true);
      expect(renderPlainText(card)).toContain(locale === "en" ? "Send 2" : "发送 2");
    }
  });

  it("a button value naming a bad article is refused on the way in", () => {
    const base = { action: "kb_send", ticket: "CS1", version: 1 };
    expect(inboundCallbackSchema.safeParse({ ...base, article: "kb-refund-flow" }).success).toBe(true);
    for (const article of ["../x", "<at id=all>", "A".repeat(49), "", 7])
      expect(inboundCallbackSchema.safeParse({ ...base, article }).success).toBe(false);
  });
});

describe("the answer sent into the chat", () => {
  const hostile = [
    "<at id=all></at> @all 大家注意 @所有人",
    "[退款入口](javascript:alert(1)) [x](data:text/html,<script>alert(1)</script>)",
    '<script>alert(1)</script><img src=x onerror=alert(1)> <a href="https://evil.example.com">点我</a>',
    "**加粗** [售后中心](https://shop.example.test/after-sales)",
  ].join("\n\n");
  const card = kbAnswerCard(
    {
      ticket: "CS202611190012",
      article: { id: "kb-x", title: "<at id=all></at>标题", body: hostile },
      by: "agent-zhou",
    },
    ctx(),
  );

  it("carries no mention, no active link and no HTML on any platform", () => {
    const feishu = JSON.stringify(renderFeishu(card));
    expect(feishu).not.toMatch(/<at|javascript:|<script|<img|<a |\]\(|@all|https?:\/\//i);
    const teams = renderTeams(card);
    expect(teams.msteams.entities ?? []).toEqual([]);
    expect(JSON.stringify(teams)).not.toMatch(/<at>|javascript:|<script|\]\(|@all/i);
    const ding = renderDingTalkCard(card);
    expect(ding.cardAtUserIds).toEqual([]);
    expect(JSON.stringify(ding)).not.toMatch(/<a |atId|javascript:|<script|\]\(/i);
    const message = renderDingTalkMessage(card) as { at?: { isAtAll: boolean; atUserIds: string[] } };
    expect(message.at?.isAtAll ?? false).toBe(false);
    expect(renderPlainText(card)).not.toMatch(/<at|@all|javascript:|<script/i);
    // The words are still there for the agent to read, made inert.
    expect(renderPlainText(card)).toContain("＜at id=all＞＜/at＞");
    expect(renderPlainText(card)).toContain("售后中心 (https：／／shop.example.test/after-sales)");
    // A javascript: link keeps only its words.
    expect(renderPlainText(card)).toContain("退款入口");
    expect(renderPlainText(card)).not.toMatch(/退款入口 \(/);
  });

  it("warns when the article is stale, and has no buttons", () => {
    const stale = kbAnswerCard(
      { ticket: "CS1", article: { id: "kb-x", title: "t", body: "b" }, by: "agent-zhou", staleDays: 200 },
      ctx(),
    );
    expect(renderPlainText(stale)).toContain("200 天未复核");
    expect(buttons(stale)).toEqual([]);
    expect(validateFeishuCard(renderFeishu(stale)).ok).toBe(true);
    expect(validateTeamsCard(renderTeams(stale)).ok).toBe(true);
  });
});

describe("knowledge-base card words", () => {
  it("exist in both locales with the same parameters", () => {
    for (const key of KB_TEXT_KEYS) {
      const zh = kbText("zh-CN", key);
      const en = kbText("en", key);
      expect(zh.trim(), key).not.toBe("");
      expect(en, key).not.toMatch(/[\u4e00-\u9fff]/);
      expect(zh.match(/\{\w+\}/g)?.sort(), key).toEqual(en.match(/\{\w+\}/g)?.sort());
    }
  });
});
