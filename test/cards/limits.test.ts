import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { digestCard, ticketCard } from "../../cards/model/index.ts";
import { shrink } from "../../cards/model/trim.ts";
import { SAMPLE_NOW, sampleBoardLink, sampleDirectory, sampleRecord } from "../../cards/preview/samples.ts";
import {
  renderDingTalkCard,
  renderDingTalkMessage,
  TEMPLATE_VARIABLES,
} from "../../cards/render/dingtalk.ts";
import { renderFeishu, renderFeishuWhole } from "../../cards/render/feishu.ts";
import { renderTeams } from "../../cards/render/teams.ts";
import { validateDingTalkCardData, validateDingTalkMessage } from "../../cards/validate/dingtalk.ts";
import { validateFeishuCard } from "../../cards/validate/feishu.ts";
import {
  FEISHU_LIMITS,
  feishuBytes,
  feishuComponents,
  withinFeishuLimits,
} from "../../cards/validate/feishu-limits.ts";
import { validateTeamsCard } from "../../cards/validate/teams.ts";
import { TEAMS_LIMITS, teamsBytes } from "../../cards/validate/teams-limits.ts";
import type { TicketEvent } from "../../core/ticket/events.ts";
import { fold } from "../../core/ticket/state.ts";
import { ticketView } from "../../core/ticket/view.ts";

const directory = sampleDirectory();
const ctx = { directory, locale: "zh-CN" as const, now: SAMPLE_NOW, boardLink: sampleBoardLink };

/** A ticket with a 4 000-character description and 300 long comments. */
function hugeView() {
  const base = sampleRecord("working");
  const long = "客户补充说明：设备在高温环境下反复重启，附带多张照片和视频。".repeat(140).slice(0, 4000);
  const created = { ...(base.events[0] as Extract<TicketEvent, { type: "created" }>), description: long };
  const comments: TicketEvent[] = Array.from({ length: 300 }, (_, i) => ({
    at: new Date(SAMPLE_NOW.getTime() - (300 - i) * 60_000).toISOString(),
    actor: "eng-wu",
    via: "feishu",
    type: "commented",
    text: `第 ${i + 1} 次跟进：${"已与仓库、质检和物流三方沟通，等待回复。".repeat(12)}`,
  }));
  const events = [created, ...base.events.slice(1), ...comments];
  return ticketView({ state: fold(events), events }, { directory });
}

describe("size limits: trim, never fail", () => {
  it("a card too big for Feishu when shown whole is trimmed under 30 KB and 200 components", () => {
    const card = ticketCard(hugeView(), ctx, { timelineLimit: 300 });
    const out = renderFeishu(card);
    expect(feishuBytes(out)).toBeLessThanOrEqual(FEISHU_LIMITS.bytes);
    expect(feishuComponents(out)).toBeLessThanOrEqual(FEISHU_LIMITS.components);
    expect(validateFeishuCard(out).errors).toEqual([]);
    // The history was cut, and says so; the buttons survived.
    expect(JSON.stringify(out)).toMatch(/更早的 \d+ 条记录请在看板查看/);
    expect(JSON.stringify(out)).toContain('"action":"resolve"');
  });

  it("the renderer's quick limit check agrees with the exact one on every smaller version of a huge card", () => {
    const exact = (out: unknown) =>
      feishuBytes(out) <= FEISHU_LIMITS.bytes && feishuComponents(out) <= FEISHU_LIMITS.components;
    const card = ticketCard(hugeView(), ctx, { timelineLimit: 300 });
    const verdicts = [card, ...shrink(card)].map((c) => {
      const out = renderFeishuWhole(c);
      expect(withinFeishuLimits(out)).toBe(exact(out));
      return exact(out);
    });
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
    // A customer's text that spells a tag key is escaped in JSON and counts as no component.
    const spelled = { body: { elements: [{ tag: "markdown", content: '"tag":"x",'.repeat(300) }] } };
    expect(withinFeishuLimits(spelled)).toBe(true);
    const many = { body: { elements: Array.from({ length: 201 }, () => ({ tag: "hr" })) } };
    expect(withinFeishuLimits(many)).toBe(false);
  });

  it("the same card is trimmed under 28 KB for Teams and still validates", () => {
    const out = renderTeams(ticketCard(hugeView(), ctx, { timelineLimit: 300 }));
    expect(teamsBytes(out)).toBeLessThanOrEqual(TEAMS_LIMITS.bytes);
    expect(validateTeamsCard(out).errors).toEqual([]);
  });

  it("DingTalk values stay within 1 KB each and the message within 15 000 bytes", () => {
    const card = ticketCard(hugeView(), ctx, { timelineLimit: 300 });
    expect(validateDingTalkCardData(renderDingTalkCard(card)).errors).toEqual([]);
    expect(validateDingTalkMessage(renderDingTalkMessage(card)).errors).toEqual([]);
  });

  it("a digest of many alerts stays valid everywhere", () => {
    const view = hugeView();
    const alerts = Array.from({ length: 40 }, () => ({ view, target: "resolution" as const, level: 1 }));
    const card = digestCard(alerts, directory.person("head-returns")!, ctx);
    expect(validateFeishuCard(renderFeishu(card)).errors).toEqual([]);
    expect(validateTeamsCard(renderTeams(card)).errors).toEqual([]);
    expect(validateDingTalkCardData(renderDingTalkCard(card)).errors).toEqual([]);
    expect(JSON.stringify(renderFeishu(card))).toContain("另有 32 条提醒");
  });
});

describe("the DingTalk template shipped in manifests/ matches the renderer", () => {
  it("declares exactly the variables the renderer fills", async () => {
    const template = JSON.parse(
      await readFile(
        new URL("../../manifests/dingtalk/closeloop-card.template.json", import.meta.url),
        "utf8",
      ),
    ) as {
      variables: { name: string; type: string }[];
      layout: unknown;
    };
    expect(template.variables.map((v) => v.name)).toEqual([...TEMPLATE_VARIABLES]);
    const json = template.variables.filter((v) => v.type === "json").map((v) => v.name);
    expect(json.every((n) => /^(button_\d|input_\d|form)$/.test(n))).toBe(true);
    const layout = JSON.stringify(template.layout);
    for (const v of TEMPLATE_VARIABLES.filter((n) => !["ticket", "version", "locale"].includes(n)))
      expect(layout).toContain(`{{${v}}}`);
    const rendered = renderDingTalkCard(ticketCard(ticketView(sampleRecord("late"), { directory }), ctx));
    expect(Object.keys(rendered.cardData.cardParamMap)).toEqual([...TEMPLATE_VARIABLES]);
  });
});
