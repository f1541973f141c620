import { label, PRIORITY_LABELS, STATUS_LABELS } from "../i18n/labels.ts";
import type { Text } from "../i18n/locale.ts";
import { localTime } from "./local-time.ts";
import { type ExportTable, personName } from "./table.ts";

const CONFIRMATION: Record<"confirmed" | "disputed", Text> = {
  confirmed: { "zh-CN": "已确认", en: "confirmed" },
  disputed: { "zh-CN": "有异议", en: "disputed" },
};

/** The service record table (售后服务记录表): one row per ticket, contacts masked. */
export const RECORD_TABLE: ExportTable = {
  name: "records",
  title: { "zh-CN": "服务记录表", en: "Service records" },
  includes: () => true,
  timeOf: (t) => t.createdAt,
  stopsAtRangeStart: true,
  columns: [
    {
      key: "number",
      title: { "zh-CN": "工单号", en: "Number" },
      kind: "text",
      width: 16,
      value: (r) => r.state.number,
    },
    {
      key: "customer",
      title: { "zh-CN": "客户", en: "Customer" },
      kind: "text",
      width: 12,
      value: (r) => r.state.customer.name ?? "",
    },
    {
      key: "contact",
      title: { "zh-CN": "联系方式", en: "Contact" },
      kind: "text",
      width: 14,
      value: (r) => r.state.customer.phone?.masked ?? "",
    },
    {
      key: "product",
      title: { "zh-CN": "产品/型号", en: "Product" },
      kind: "text",
      width: 14,
      value: (r) => r.state.product ?? "",
    },
    {
      key: "description",
      title: { "zh-CN": "问题描述", en: "Description" },
      kind: "text",
      width: 40,
      value: (r) => r.state.description,
    },
    {
      key: "priority",
      title: { "zh-CN": "优先级", en: "Priority" },
      kind: "text",
      width: 8,
      value: (r, c) => label(PRIORITY_LABELS, r.state.priority)[c.locale],
    },
    {
      key: "department",
      title: { "zh-CN": "处理部门", en: "Department" },
      kind: "text",
      width: 14,
      value: (r, c) => c.directory.department(r.state.department)?.name ?? r.state.department,
    },
    {
      key: "owner",
      title: { "zh-CN": "负责人", en: "Owner" },
      kind: "text",
      width: 10,
      value: (r, c) => personName(c, r.state.owner),
    },
    {
      key: "created",
      title: { "zh-CN": "受理时间", en: "Created" },
      kind: "time",
      width: 17,
      value: (r, c) => localTime(r.state.createdAt, c.timeZone),
    },
    {
      key: "due",
      title: { "zh-CN": "承诺完成时间", en: "Due" },
      kind: "time",
      width: 17,
      value: (r, c) => localTime(r.state.due.resolution, c.timeZone),
    },
    {
      key: "resolved",
      title: { "zh-CN": "解决时间", en: "Resolved" },
      kind: "time",
      width: 17,
      value: (r, c) => localTime(r.state.resolvedAt, c.timeZone),
    },
    {
      key: "solution",
      title: { "zh-CN": "解决方案", en: "Solution" },
      kind: "text",
      width: 40,
      value: (r) => r.state.solution ?? "",
    },
    {
      key: "confirmation",
      title: { "zh-CN": "客户确认", en: "Confirmation" },
      kind: "text",
      width: 10,
      value: (r, c) => (r.state.confirmation ? CONFIRMATION[r.state.confirmation.result][c.locale] : ""),
    },
    {
      key: "status",
      title: { "zh-CN": "状态", en: "Status" },
      kind: "text",
      width: 8,
      value: (r, c) => label(STATUS_LABELS, r.state.status)[c.locale],
    },
  ],
};
