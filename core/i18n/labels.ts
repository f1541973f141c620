import type { Text } from "./locale.ts";

export const STATUS_LABELS: Record<string, Text> = {
  pending: { "zh-CN": "待处理", en: "pending" },
  in_progress: { "zh-CN": "处理中", en: "in progress" },
  resolved: { "zh-CN": "已解决", en: "resolved" },
};

export const PRIORITY_LABELS: Record<string, Text> = {
  urgent: { "zh-CN": "紧急", en: "urgent" },
  normal: { "zh-CN": "一般", en: "normal" },
  low: { "zh-CN": "低", en: "low" },
};

export const PROBLEM_TYPE_LABELS: Record<string, Text> = {
  product_inquiry: { "zh-CN": "产品咨询", en: "product inquiry" },
  quality_complaint: { "zh-CN": "质量投诉", en: "quality complaint" },
  service_complaint: { "zh-CN": "服务投诉", en: "service complaint" },
  after_sales: { "zh-CN": "售后需求", en: "after-sales request" },
  logistics: { "zh-CN": "物流", en: "logistics" },
  billing: { "zh-CN": "账单", en: "billing" },
  other: { "zh-CN": "其他", en: "other" },
};

export const ROLE_LABELS: Record<string, Text> = {
  agent: { "zh-CN": "客服", en: "agent" },
  engineer: { "zh-CN": "工程师", en: "engineer" },
  head: { "zh-CN": "部门负责人", en: "department head" },
  admin: { "zh-CN": "管理员", en: "admin" },
  editor: { "zh-CN": "知识库编辑", en: "knowledge editor" },
};

export function label(table: Record<string, Text>, key: string): Text {
  return table[key] ?? { "zh-CN": key, en: key };
}
