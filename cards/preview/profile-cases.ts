import type { Locale } from "../../core/i18n/locale.ts";
import type { WeeklyReview } from "../../core/review/review.ts";
import type { TicketView } from "../../core/ticket/view.ts";
import type { CardContext } from "../model/context.ts";
import { ticketCard, weeklyReviewCard } from "../model/index.ts";
import type { Card } from "../model/types.ts";
import { SAMPLE_BOARD, SAMPLE_NOW, sampleBoardLink, sampleDirectory, sampleView } from "./samples.ts";

const H = 3_600_000;

function context(locale: Locale, viewer: string): CardContext {
  const directory = sampleDirectory();
  return {
    directory,
    locale,
    now: SAMPLE_NOW,
    boardLink: sampleBoardLink,
    viewer: directory.person(viewer)!,
  };
}

/** The VIP refund sample, matched to a profile with a history at intake. */
export function returningCustomerView(): TicketView {
  const view = sampleView("working");
  return {
    ...view,
    customer: {
      ...view.customer,
      tags: ["vip", "price_sensitive"],
      history: {
        profileId: "cu-5f2a91c07e3d4b18",
        tickets: 4,
        open: 1,
        complaints: 2,
        surveys: 3,
        averageScore: 3.7,
        lowScores: 1,
        lastTicket: { number: "CS202610280031", at: "2026-10-28T03:12:00.000Z" },
      },
    },
  };
}

/** The technical-support group's week 2026-W46 (Monday 11-09 to Sunday 11-15). */
export const SAMPLE_REVIEW: WeeklyReview = {
  department: "tech",
  week: "2026-W46",
  from: "2026-11-08T16:00:00.000Z",
  to: "2026-11-15T16:00:00.000Z",
  asOf: "2026-11-16T01:00:00.000Z",
  total: 14,
  byProblemType: [
    { problemType: "quality_complaint", count: 8 },
    { problemType: "product_inquiry", count: 4 },
    { problemType: "after_sales", count: 2 },
  ],
  firstResponse: { met: 11, missed: 3, rate: 0.7857, medianMs: 0.75 * H, p90Ms: 5 * H },
  resolution: {
    met: 8,
    missed: 2,
    rate: 0.8,
    resolved: 10,
    resolvedRate: 0.7143,
    resolvedTarget: 0.9,
    medianMs: 9.5 * H,
    p90Ms: 30 * H,
  },
  breaches: {
    count: 3,
    tickets: [
      { number: "CS2026110031", headline: "冰箱冷藏室不制冷已一周" },
      { number: "CS2026110036", headline: "X200 充电座接触不良" },
      { number: "CS2026110042", headline: "固件升级后无法连接 Wi-Fi" },
    ],
  },
  satisfaction: { surveys: 9, points: 86.7, target: 95, resolutionScore: 4.22, attitudeScore: 4.44 },
  topProblems: [
    {
      key: "X200",
      problemType: "quality_complaint",
      count: 5,
      examples: [
        { number: "CS2026110007", headline: "X200 无法开机，充电指示灯不亮" },
        { number: "CS2026110019", headline: "X200 扫地时异响" },
        { number: "CS2026110036", headline: "X200 充电座接触不良" },
      ],
    },
    {
      key: "固件升级",
      problemType: "product_inquiry",
      count: 3,
      examples: [
        { number: "CS2026110022", headline: "如何升级固件" },
        { number: "CS2026110042", headline: "固件升级后无法连接 Wi-Fi" },
      ],
    },
  ],
  lowScores: {
    count: 1,
    tickets: [
      {
        number: "CS2026110031",
        headline: "冰箱冷藏室不制冷已一周",
        at: "2026-11-13T07:20:00.000Z",
        resolutionScore: 2,
        attitudeScore: 3,
        suggestion: "希望第一次上门就能修好",
        remedy: "done",
        note: "主管回电致歉，安排二次上门并赠送延保一年",
        solution: "更换压缩机启动器",
      },
    ],
  },
};

export const reviewPageUrl = (department: string, week: string) =>
  `${SAMPLE_BOARD}/review?department=${encodeURIComponent(department)}&week=${encodeURIComponent(week)}`;

/** Cards of customer profiles and weekly reviews, for the gallery and the golden files. */
export const PROFILE_CASES: readonly {
  readonly name: string;
  readonly about: string;
  readonly build: (locale: Locale) => Card;
}[] = [
  {
    name: "ticket-returning-customer",
    about: "A returning VIP's ticket: the customer's history in one line under their name.",
    build: (l) => ticketCard(returningCustomerView(), context(l, "eng-wu")),
  },
  {
    name: "weekly-review",
    about: "Monday's review for the head of technical support: figures, top problems, breaches, low scores.",
    build: (l) =>
      weeklyReviewCard(SAMPLE_REVIEW, context(l, "head-tech"), {
        pageUrl: reviewPageUrl("tech", "2026-W46"),
      }),
  },
];
