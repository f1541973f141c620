import type { Suggestion } from "../../core/kb/views.ts";
import type { KbAnswer } from "../model/kb-answer-card.ts";
import { SAMPLE_NOW } from "./samples.ts";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(SAMPLE_NOW.getTime() - n * DAY).toISOString();

export const SAMPLE_REFUND_ARTICLE = {
  id: "kb-refund-flow",
  title: "退款申请流程",
  body: [
    "## 适用情况",
    "商品与描述不符、质量问题，签收后 **7 天内**可申请退款。",
    "",
    "1. 在订单详情页点击「申请退款」",
    "2. 选择退款原因，上传照片",
    "3. 审核通过后 1-3 个工作日原路退回",
    "",
    "退款进度可在 [售后中心](https://shop.example.test/after-sales) 查看。",
  ].join("\n"),
};

/** What the knowledge base would suggest for the sample refund ticket: one sent, one stale. */
export const sampleSuggestions = (): readonly Suggestion[] => [
  {
    id: SAMPLE_REFUND_ARTICLE.id,
    title: SAMPLE_REFUND_ARTICLE.title,
    excerpt: "适用情况 商品与描述不符、质量问题，签收后 7 天内可申请退款。",
    stale: false,
    reviewedAt: daysAgo(12),
    solved: 5,
    unsolved: 1,
    sentAt: daysAgo(0),
    sentBy: "agent-zhou",
  },
  {
    id: "kb-return-fee",
    title: "退货运费由谁承担",
    excerpt: "质量问题退货的运费由我们承担，退款时一并退回；非质量问题的退货运费由客户承担。",
    stale: true,
    reviewedAt: daysAgo(240),
    solved: 0,
    unsolved: 0,
  },
  {
    id: "kb-color-diff",
    title: "商品色差的说明口径",
    excerpt: "屏幕显示与实物存在轻微色差属正常现象；差异明显的，按描述不符处理。",
    stale: false,
    reviewedAt: daysAgo(30),
    solved: 2,
    unsolved: 0,
  },
];

export const sampleAnswer = (): KbAnswer => ({
  ticket: "CS202611190012",
  article: SAMPLE_REFUND_ARTICLE,
  by: "agent-zhou",
});
