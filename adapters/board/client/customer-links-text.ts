import type { Locale } from "../../../core/i18n/locale.ts";

/** The drawer's customer-links section, in both locales. */
const zhCN = {
  title: "客户自助链接",
  statusLink: "进度查询链接",
  surveyLink: "满意度回访链接",
  none: "未生成",
  active: "已生成：{name}，{at}",
  answered: "客户已提交评价（{at}）",
  create: "生成并复制",
  replace: "重新生成（旧链接失效）",
  revoke: "撤销",
  copy: "复制",
  copied: "已复制到剪贴板",
  copyFailed: "无法自动复制，请手动复制",
  url: "链接",
  code: "电话查询码",
  lookup: "客户也可在 {url} 输入工单号和查询码",
  onceOnly: "链接和查询码只显示这一次；需要时可重新生成（旧的随即失效）。",
  surveyWaits: "客户确认处理结果后才能发送回访链接",
  revoked: "已撤销，旧链接和查询码不再可用",
} as const;

export type LinkTextKey = keyof typeof zhCN;

const en: Record<LinkTextKey, string> = {
  title: "Customer links",
  statusLink: "Progress link",
  surveyLink: "Survey link",
  none: "Not created",
  active: "Created by {name}, {at}",
  answered: "The customer answered ({at})",
  create: "Create and copy",
  replace: "Create a new one (the old one stops working)",
  revoke: "Revoke",
  copy: "Copy",
  copied: "Copied to the clipboard",
  copyFailed: "Could not copy automatically; copy it by hand",
  url: "Link",
  code: "Phone code",
  lookup: "The customer can also enter the ticket number and code at {url}",
  onceOnly:
    "The link and code are shown this once; create a new one when needed (the old one stops working).",
  surveyWaits: "A survey link can be sent once the customer has confirmed the result",
  revoked: "Revoked: the old link and code no longer work",
};

const TABLES: Record<Locale, Record<LinkTextKey, string>> = { "zh-CN": zhCN, en };

export function lt(locale: Locale, key: LinkTextKey, params: Record<string, string> = {}): string {
  return TABLES[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
