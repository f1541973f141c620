import { describe, expect, it } from "vitest";
import { CARD_CASES } from "../../cards/preview/cases.ts";
import { renderDingTalkCard, renderDingTalkMessage } from "../../cards/render/dingtalk.ts";
import { renderFeishu } from "../../cards/render/feishu.ts";
import { actionRows } from "../../cards/render/teams/blocks.ts";
import { renderTeams } from "../../cards/render/teams.ts";
import { validateDingTalkCardData, validateDingTalkMessage } from "../../cards/validate/dingtalk.ts";
import { validateFeishuCard } from "../../cards/validate/feishu.ts";
import { adaptiveCardEvents, validateTeamsCard } from "../../cards/validate/teams.ts";
import { LOCALES } from "../../core/i18n/locale.ts";

const cards = CARD_CASES.flatMap((c) =>
  LOCALES.map((locale) => ({ name: `${c.name} ${locale}`, card: c.build(locale) })),
);

describe("every rendered card passes its platform's validator", () => {
  for (const { name, card } of cards) {
    it(name, () => {
      expect(validateFeishuCard(renderFeishu(card)).errors).toEqual([]);
      const teams = renderTeams(card);
      expect(adaptiveCardEvents(teams)).toEqual([]);
      expect(validateTeamsCard(teams).errors).toEqual([]);
      expect(validateDingTalkCardData(renderDingTalkCard(card)).errors).toEqual([]);
      expect(validateDingTalkMessage(renderDingTalkMessage(card)).errors).toEqual([]);
    });
  }
});

const sample = () => cards[0]!.card;

describe("the validators reject what the platforms reject", () => {
  it("Feishu: unknown properties, a 1.0 action element, a form inside a column, too many components, too big", () => {
    const good = renderFeishu(sample());
    expect(validateFeishuCard(good).ok).toBe(true);
    const extra = { ...good, body: { elements: [{ tag: "markdown", content: "x", text_size: "huge" }] } };
    expect(validateFeishuCard(extra).ok).toBe(false);
    const legacy = { ...good, body: { elements: [{ tag: "action", actions: [] }] } };
    expect(validateFeishuCard(legacy).ok).toBe(false);
    const noUpdate = { ...good, config: { update_multi: false } };
    expect(validateFeishuCard(noUpdate).ok).toBe(false);
    const nested = {
      ...good,
      body: {
        elements: [
          {
            tag: "column_set",
            columns: [
              {
                tag: "column",
                elements: [{ tag: "form", name: "f", elements: [{ tag: "markdown", content: "x" }] }],
              },
            ],
          },
        ],
      },
    };
    expect(validateFeishuCard(nested).errors.join()).toContain("root");
    const many = { ...good, body: { elements: Array.from({ length: 201 }, () => ({ tag: "hr" })) } };
    expect(validateFeishuCard(many).errors.join()).toContain("components");
    const big = { ...good, body: { elements: [{ tag: "markdown", content: "字".repeat(11_000) }] } };
    expect(validateFeishuCard(big).errors.join()).toContain("bytes");
    const badValue = JSON.parse(JSON.stringify(good).replace('"action":"claim"', '"action":"drop_table"'));
    expect(validateFeishuCard(badValue).ok).toBe(false);
  });

  it("Teams: unknown elements, duplicate input ids, mentions without entities, over 28 KB", () => {
    const good = renderTeams(sample());
    expect(validateTeamsCard(good).ok).toBe(true);
    expect(validateTeamsCard({ ...good, body: [{ type: "Carousel3D" }] }).ok).toBe(false);
    const dupes = {
      ...good,
      body: [
        { type: "Input.Text", id: "a", label: "A" },
        { type: "Input.Text", id: "a", label: "B" },
      ],
    };
    expect(validateTeamsCard(dupes).errors.join()).toMatch(/Duplicate/i);
    expect(
      validateTeamsCard({ ...good, body: [{ type: "TextBlock", text: "<at>Nobody</at>" }] }).errors.join(),
    ).toContain("no mention entity");
    expect(validateTeamsCard({ ...good, version: "1.6" }).ok).toBe(false);
    const big = { ...good, body: [{ type: "TextBlock", text: "x".repeat(29 * 1024) }] };
    expect(validateTeamsCard(big).errors.join()).toContain("bytes");
  });

  it("Teams: more than 5 actions in one set is refused; the renderer puts 6 buttons on two rows of 3", () => {
    const good = renderTeams(sample());
    const button = { type: "Action.OpenUrl", title: "Board", url: "https://closeloop.example.test/board" };
    const six = { ...good, body: [{ type: "ActionSet", actions: Array.from({ length: 6 }, () => button) }] };
    expect(validateTeamsCard(six).errors.join()).toMatch(/Maximum number of actions/);
    const head = CARD_CASES.find((c) => c.name === "ticket-assigned-head")!.build("en");
    const sets = renderTeams(head).body.filter((e) => e.type === "ActionSet") as unknown as {
      actions: unknown[];
    }[];
    expect(sets.map((s) => s.actions.length)).toEqual([3, 3]);
    expect(
      [1, 5, 6, 7, 11].map((n) => actionRows(Array.from({ length: n }, (_, i) => i)).map((r) => r.length)),
    ).toEqual([[1], [5], [3, 3], [4, 3], [4, 4, 3]]);
  });

  it("DingTalk: non-string values, values over 1 KB, unknown or missing variables, @ without atUserIds", () => {
    const good = renderDingTalkCard(sample());
    expect(validateDingTalkCardData(good).ok).toBe(true);
    const map = good.cardData.cardParamMap;
    const withMap = (m: Record<string, unknown>) => ({ ...good, cardData: { cardParamMap: m } });
    expect(validateDingTalkCardData(withMap({ ...map, version: 3 })).ok).toBe(false);
    expect(validateDingTalkCardData(withMap({ ...map, content_1: "字".repeat(400) })).ok).toBe(false);
    expect(validateDingTalkCardData(withMap({ ...map, surprise: "" })).ok).toBe(false);
    const { title: _t, ...noTitle } = map;
    expect(validateDingTalkCardData(withMap(noTitle)).ok).toBe(false);
    expect(validateDingTalkCardData(withMap({ ...map, button_1: '{"id":"x"}' })).ok).toBe(false);
    expect(validateDingTalkCardData(withMap({ ...map, content_1: "<a atId=someone>x</a>" })).ok).toBe(false);
    const msg = {
      msgtype: "markdown",
      markdown: { title: "t", text: "@u1 hi" },
      at: { atUserIds: [], isAtAll: false },
    };
    expect(validateDingTalkMessage(msg).ok).toBe(false);
    expect(validateDingTalkMessage({ ...msg, at: { atUserIds: ["u1"], isAtAll: false } }).ok).toBe(true);
    expect(validateDingTalkMessage({ ...msg, at: { atUserIds: ["u1"], isAtAll: true } }).ok).toBe(false);
    const card = {
      msgtype: "actionCard",
      actionCard: {
        title: "t",
        text: "x",
        btnOrientation: "0",
        btns: [
          { title: "a", actionURL: "dtmd://x" },
          { title: "b", actionURL: "https://x.test" },
        ],
      },
    };
    expect(validateDingTalkMessage(card).ok).toBe(false);
  });
});
