import type { Text } from "../i18n/locale.ts";
import type { TicketRecord } from "../ports.ts";
import type { SurveyMethod } from "../ticket/events.ts";
import type { TicketState } from "../ticket/state.ts";
import { localTime } from "./local-time.ts";
import { type ExportTable, personName } from "./table.ts";

const METHODS: Record<SurveyMethod, Text> = {
  phone: { "zh-CN": "电话", en: "phone" },
  online_survey: { "zh-CN": "在线问卷", en: "online survey" },
  message: { "zh-CN": "消息", en: "message" },
};

export type FollowUpStatus = "pending" | "done" | "remedy_open" | "remedied";

const STATUS: Record<FollowUpStatus, Text> = {
  pending: { "zh-CN": "待回访", en: "to follow up" },
  done: { "zh-CN": "已回访", en: "followed up" },
  remedy_open: { "zh-CN": "待补救", en: "remedy open" },
  remedied: { "zh-CN": "已补救", en: "remedied" },
};

export function followUpStatus(t: TicketState): FollowUpStatus {
  if (!t.survey) return "pending";
  if (t.remedy) return t.remedy.doneAt ? "remedied" : "remedy_open";
  return "done";
}

/** `CS2024050001-F1`: the ticket and which follow-up of it (a reopened ticket is followed up again). */
export function followUpId(r: TicketRecord): string {
  const surveys = r.events.filter((e) => e.type === "surveyed").length;
  return `${r.state.number}-F${r.state.survey ? surveys : surveys + 1}`;
}

/**
 * The follow-up table (回访记录表): a row per resolved ticket, followed up or still to be. The date range
 * applies to the follow-up time, or the resolution time while the follow-up is still to come.
 */
export const FOLLOW_UP_TABLE: ExportTable = {
  name: "follow-ups",
  title: { "zh-CN": "回访记录表", en: "Follow-ups" },
  statuses: ["resolved"],
  includes: (t) => t.status === "resolved",
  timeOf: (t) => t.survey?.at ?? t.resolvedAt,
  stopsAtRangeStart: false,
  columns: [
    {
      key: "followUp",
      title: { "zh-CN": "回访编号", en: "Follow-up" },
      kind: "text",
      width: 18,
      value: (r) => followUpId(r),
    },
    {
      key: "number",
      title: { "zh-CN": "工单号", en: "Ticket" },
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
      key: "at",
      title: { "zh-CN": "回访时间", en: "Time" },
      kind: "time",
      width: 17,
      value: (r, c) => localTime(r.state.survey?.at, c.timeZone),
    },
    {
      key: "method",
      title: { "zh-CN": "回访方式", en: "Method" },
      kind: "text",
      width: 10,
      value: (r, c) => (r.state.survey ? METHODS[r.state.survey.method][c.locale] : ""),
    },
    {
      key: "resolutionScore",
      title: { "zh-CN": "解决效果评分", en: "Resolution score" },
      kind: "number",
      width: 10,
      value: (r) => r.state.survey?.resolutionScore,
    },
    {
      key: "attitudeScore",
      title: { "zh-CN": "服务态度评分", en: "Attitude score" },
      kind: "number",
      width: 10,
      value: (r) => r.state.survey?.attitudeScore,
    },
    {
      key: "suggestion",
      title: { "zh-CN": "客户建议", en: "Suggestion" },
      kind: "text",
      width: 40,
      value: (r) => r.state.survey?.suggestion ?? "",
    },
    {
      key: "improvement",
      title: { "zh-CN": "改进措施", en: "Improvement" },
      kind: "text",
      width: 40,
      value: (r) => r.state.remedy?.note ?? "",
    },
    {
      key: "owner",
      title: { "zh-CN": "回访人", en: "Owner" },
      kind: "text",
      width: 10,
      value: (r, c) => personName(c, r.state.survey?.by ?? r.state.firstContact),
    },
    {
      key: "status",
      title: { "zh-CN": "状态", en: "Status" },
      kind: "text",
      width: 10,
      value: (r, c) => STATUS[followUpStatus(r.state)][c.locale],
    },
  ],
};
