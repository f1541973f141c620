import type { Locale } from "../../core/i18n/locale.ts";

/** The knowledge base's words on the board (its page and the drawer section), in both locales. */
const zhCN = {
  "kb.title": "知识库",
  "kb.search": "搜索文章（中文无需空格）",
  "kb.tag": "标签",
  "kb.staleOnly": "仅显示待复核",
  "kb.find": "搜索",
  "kb.new": "新建文章",
  "kb.edit": "编辑",
  "kb.save": "保存",
  "kb.cancel": "取消",
  "kb.saved": "已保存「{title}」",
  "kb.count": "共 {n} 篇",
  "kb.none": "没有找到文章",
  "kb.field.title": "标题",
  "kb.field.body": "正文（Markdown：# 标题、- 列表、**加粗**、[链接](https://…)；不支持 HTML）",
  "kb.field.tags": "标签（用逗号分隔）",
  "kb.field.problemType": "问题类型",
  "kb.field.owner": "负责人",
  "kb.field.reviewed": "内容已复核（把复核日期记为今天）",
  "kb.anyType": "不限",
  "kb.owner": "负责人 {name}",
  "kb.reviewed": "{date} 复核",
  "kb.stale": "{days} 天未复核，请核实",
  "kb.tally": "解决 {solved} · 未解决 {unsolved}",
  "kb.readOnly": "只有知识库编辑、部门负责人和管理员可以编辑文章",
  "kb.suggested": "推荐知识",
  "kb.noSuggestions": "知识库中没有相关文章",
  "kb.send": "发送到聊天",
  "kb.sent": "已由 {name} 发送",
  "kb.sentNow": "已发送「{title}」到工单所在的聊天",
  "kb.alreadySent": "「{title}」已经发送过，没有重复发送",
  "kb.solved": "解决了",
  "kb.unsolved": "没解决",
  "kb.markedSolved": "✓ 解决了问题",
  "kb.markedUnsolved": "✗ 没有解决",
  "kb.read": "阅读全文",
  "kb.hide": "收起",
  "kb.open": "在知识库中打开",
} as const;

export type KbBoardKey = keyof typeof zhCN;

const en: Record<KbBoardKey, string> = {
  "kb.title": "Knowledge base",
  "kb.search": "Search articles",
  "kb.tag": "Tag",
  "kb.staleOnly": "Only those due for review",
  "kb.find": "Search",
  "kb.new": "New article",
  "kb.edit": "Edit",
  "kb.save": "Save",
  "kb.cancel": "Cancel",
  "kb.saved": "Saved “{title}”",
  "kb.count": "{n} articles",
  "kb.none": "No articles found",
  "kb.field.title": "Title",
  "kb.field.body": "Body (Markdown: # heading, - list, **bold**, [link](https://…); no HTML)",
  "kb.field.tags": "Tags (comma-separated)",
  "kb.field.problemType": "Problem type",
  "kb.field.owner": "Owner",
  "kb.field.reviewed": "Content reviewed (set the review date to today)",
  "kb.anyType": "Any",
  "kb.owner": "Owner {name}",
  "kb.reviewed": "reviewed {date}",
  "kb.stale": "not reviewed for {days} days: check it",
  "kb.tally": "solved {solved} · not solved {unsolved}",
  "kb.readOnly": "Only knowledge editors, department heads and admins may edit articles",
  "kb.suggested": "Suggested answers",
  "kb.noSuggestions": "No related articles in the knowledge base",
  "kb.send": "Send to chat",
  "kb.sent": "sent by {name}",
  "kb.sentNow": "Sent “{title}” to the ticket's chat",
  "kb.alreadySent": "“{title}” was sent already; not sent again",
  "kb.solved": "Solved it",
  "kb.unsolved": "Did not help",
  "kb.markedSolved": "✓ solved the problem",
  "kb.markedUnsolved": "✗ did not help",
  "kb.read": "Read",
  "kb.hide": "Hide",
  "kb.open": "Open in the knowledge base",
};

const TABLES: Record<Locale, Record<KbBoardKey, string>> = { "zh-CN": zhCN, en };

export function kt(locale: Locale, key: KbBoardKey, params: Record<string, string | number> = {}): string {
  return TABLES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export const KB_BOARD_KEYS = Object.keys(zhCN) as KbBoardKey[];
