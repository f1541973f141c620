import type { Directory } from "../directory/directory.ts";
import { label, PRIORITY_LABELS, STATUS_LABELS } from "../i18n/labels.ts";
import type { Locale, Text } from "../i18n/locale.ts";
import type { TicketState } from "./state.ts";

/** The service record table (售后服务记录表) an export produces: one row per ticket, contacts masked. */
const COLUMNS: readonly {
  key: string;
  title: Text;
  value: (t: TicketState, dir: Directory, l: Locale) => string;
}[] = [
  { key: "number", title: { "zh-CN": "工单号", en: "Number" }, value: (t) => t.number },
  { key: "customer", title: { "zh-CN": "客户", en: "Customer" }, value: (t) => t.customer.name ?? "" },
  {
    key: "contact",
    title: { "zh-CN": "联系方式", en: "Contact" },
    value: (t) => t.customer.phone?.masked ?? "",
  },
  { key: "product", title: { "zh-CN": "产品/型号", en: "Product" }, value: (t) => t.product ?? "" },
  { key: "description", title: { "zh-CN": "问题描述", en: "Description" }, value: (t) => t.description },
  {
    key: "priority",
    title: { "zh-CN": "优先级", en: "Priority" },
    value: (t, _d, l) => label(PRIORITY_LABELS, t.priority)[l],
  },
  {
    key: "department",
    title: { "zh-CN": "处理部门", en: "Department" },
    value: (t, d) => d.department(t.department)?.name ?? t.department,
  },
  {
    key: "owner",
    title: { "zh-CN": "负责人", en: "Owner" },
    value: (t, d) => (t.owner ? (d.person(t.owner)?.name ?? t.owner) : ""),
  },
  { key: "created", title: { "zh-CN": "受理时间", en: "Created" }, value: (t) => t.createdAt },
  { key: "due", title: { "zh-CN": "承诺完成时间", en: "Due" }, value: (t) => t.due.resolution ?? "" },
  { key: "resolved", title: { "zh-CN": "解决时间", en: "Resolved" }, value: (t) => t.resolvedAt ?? "" },
  { key: "solution", title: { "zh-CN": "解决方案", en: "Solution" }, value: (t) => t.solution ?? "" },
  { key: "confirmation", title: { "zh-CN": "客户确认", en: "Confirmation" }, value: () => "" },
  {
    key: "status",
    title: { "zh-CN": "状态", en: "Status" },
    value: (t, _d, l) => label(STATUS_LABELS, t.status)[l],
  },
];

export function recordTableHeader(locale: Locale): string[] {
  return COLUMNS.map((c) => c.title[locale]);
}

export function recordTableRow(t: TicketState, dir: Directory, locale: Locale): string[] {
  return COLUMNS.map((c) => c.value(t, dir, locale));
}
