import type { Locale, Text } from "../../core/i18n/locale.ts";

/** The knowledge-base words on cards, kept beside the feature (same keys in both locales, checked by the type). */
const KB_TEXT = {
  suggested: { "zh-CN": "推荐知识", en: "Suggested answers" },
  send: { "zh-CN": "发送 {n}", en: "Send {n}" },
  solved: { "zh-CN": "{n} 解决了", en: "{n} solved it" },
  unsolved: { "zh-CN": "{n} 没解决", en: "{n} did not help" },
  sentBy: { "zh-CN": "已由 {name} 发送", en: "sent by {name}" },
  markedSolved: { "zh-CN": "✓ 解决了问题", en: "✓ solved the problem" },
  markedUnsolved: { "zh-CN": "✗ 没有解决", en: "✗ did not help" },
  stale: { "zh-CN": "⚠ {days} 天未复核", en: "⚠ not reviewed for {days} days" },
  tally: { "zh-CN": "解决 {solved} · 未解决 {unsolved}", en: "solved {solved} · not {unsolved}" },
  answerTitle: { "zh-CN": "知识库答案 · 工单 {number}", en: "Knowledge-base answer · ticket {number}" },
  answerFooter: {
    "zh-CN": "{name} 从 closeloop 知识库发送；完整文章见看板",
    en: "Sent by {name} from the closeloop knowledge base; the full article is on the board",
  },
  answerStale: {
    "zh-CN": "⚠ 这篇文章 {days} 天未复核，内容可能已过时，请核实后再告诉客户",
    en: "⚠ This article was not reviewed for {days} days and may be out of date: check before telling the customer",
  },
} as const satisfies Record<string, Text>;

export type KbTextKey = keyof typeof KB_TEXT;
export const KB_TEXT_KEYS = Object.keys(KB_TEXT) as KbTextKey[];

export function kbText(
  locale: Locale,
  key: KbTextKey,
  params: Readonly<Record<string, string | number>> = {},
) {
  return KB_TEXT[key][locale].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
