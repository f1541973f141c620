import type { Locale, Text } from "../../core/i18n/locale.ts";

export const TEAMS_TEXT = {
  notInDirectory: {
    "zh-CN": "你还不在 closeloop 通讯录中，请联系管理员在 directory.people 中添加你的 teams.aadObjectId。",
    en: "You are not in the closeloop directory yet; ask an admin to add your teams.aadObjectId to directory.people.",
  },
  mineEmpty: { "zh-CN": "你没有未完成的工单。", en: "You have no open tickets." },
  mineTitle: { "zh-CN": "你负责的未完成工单：", en: "Your open tickets:" },
  board: { "zh-CN": "协作看板：", en: "Collaboration board: " },
  noBoard: {
    "zh-CN": "看板地址尚未配置（TEAMS_PUBLIC_URL）。",
    en: "The board's address is not configured (TEAMS_PUBLIC_URL).",
  },
  nudge: { "zh-CN": "请尽快处理工单", en: "please follow up on ticket" },
  welcome: {
    "zh-CN": "你好，我是 closeloop 工单助手。",
    en: "Hello, I am the closeloop ticket assistant.",
  },
} satisfies Record<string, Text>;

export const say = (key: keyof typeof TEAMS_TEXT, locale: Locale): string => TEAMS_TEXT[key][locale];

/** The reader's language from Teams' locale ("zh-cn", "en-US"), else the configured one. */
export function localeOf(teamsLocale: string | undefined, fallback: Locale): Locale {
  if (!teamsLocale) return fallback;
  return teamsLocale.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}
