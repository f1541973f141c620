import type { Locale } from "../i18n/locale.ts";

const HELP: Record<Locale, string> = {
  "zh-CN": [
    "我可以帮你登记和跟进客户工单：",
    "• 新工单 <问题描述>（或 /ticket、报修、投诉 开头）：登记工单，自动分类并分派",
    "• 新工单：打开登记表单",
    "• 工单 <工单号>：查看工单卡片",
    "• 我的工单：你负责的未完成工单",
    "• 看板：打开协作看板",
    "• 帮助：显示这段说明",
  ].join("\n"),
  en: [
    "I log and follow up customer tickets:",
    "• /ticket <description> (or 新工单, 报修, 投诉): log a ticket; it is classified and routed",
    "• /ticket alone: open the new-ticket form",
    "• /ticket <number>: show a ticket's card",
    "• /mine: your open tickets",
    "• /board: open the collaboration board",
    "• /help: this text",
  ].join("\n"),
};

/** What the bot understands, in the reader's language: the answer to /help and to anything it did not. */
export const chatHelp = (locale: Locale): string => HELP[locale];
