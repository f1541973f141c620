import { label, PROBLEM_TYPE_LABELS } from "../../core/i18n/labels.ts";
import type { Locale, Text } from "../../core/i18n/locale.ts";
import type { LowScoreTicket, ReviewTicketRef, WeeklyReview } from "../../core/review/review.ts";
import { cleanText, clip, oneLine } from "../text/clean.ts";
import { type CardContext, DEFAULT_TIME_ZONE, departmentName } from "./context.ts";
import { formatDuration } from "./format.ts";
import { strong, text } from "./inline.ts";
import type { Block, Card, Field, Inline, Tone } from "./types.ts";

/** Entries per list on the card; the rest are on the board's review page. */
export const REVIEW_CARD_LIST = 5;

const W = {
  title: { "zh-CN": "每周复盘 {week}", en: "Weekly review {week}" },
  tickets: { "zh-CN": "工单量", en: "Tickets" },
  firstResponse: { "zh-CN": "首次响应", en: "First response" },
  resolution: { "zh-CN": "解决", en: "Resolution" },
  breaches: { "zh-CN": "超时", en: "Breaches" },
  satisfaction: { "zh-CN": "满意度", en: "Satisfaction" },
  top: { "zh-CN": "高频问题 Top 3", en: "Top recurring problems" },
  breachList: { "zh-CN": "超时工单", en: "Tickets that missed a deadline" },
  low: { "zh-CN": "低分回访与处理", en: "Low scores and what was done" },
  none: { "zh-CN": "无", en: "none" },
  noSurveys: { "zh-CN": "本周无回访", en: "no surveys this week" },
  noTop: { "zh-CN": "本周没有重复出现的问题", en: "No problem came up more than once" },
  more: { "zh-CN": "另有 {n} 条，见看板", en: "{n} more on the board" },
  open: { "zh-CN": "在看板查看", en: "Open on the board" },
  remedyDone: { "zh-CN": "已补救", en: "remedied" },
  remedyOpen: { "zh-CN": "补救进行中", en: "remedy under way" },
  remedyNone: { "zh-CN": "未开补救", en: "no remedy" },
  suggestion: { "zh-CN": "建议", en: "suggestion" },
  solution: { "zh-CN": "方案", en: "solution" },
} as const satisfies Record<string, Text>;

const fmt = (locale: Locale, key: keyof typeof W, params: Record<string, string | number> = {}) =>
  W[key][locale].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );

const sep = (locale: Locale) => (locale === "zh-CN" ? "、" : ", ");
const pct = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10}%`);
const dur = (ms: number | null, locale: Locale) => (ms === null ? "—" : formatDuration(ms, locale));

/** 11-16 – 11-22 in the zone the week was counted in. */
function span(review: WeeklyReview, ctx: CardContext): string {
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone: ctx.timeZone ?? DEFAULT_TIME_ZONE,
    month: "2-digit",
    day: "2-digit",
  });
  const lastDay = new Date(Date.parse(review.to) - 1);
  return `${f.format(new Date(review.from))} – ${f.format(lastDay)}`;
}

/** "（x）" in Chinese text, " (x)" in English. */
const paren = (locale: Locale, inner: string) => (locale === "zh-CN" ? `（${inner}）` : ` (${inner})`);

function fields(r: WeeklyReview, locale: Locale): Field[] {
  const zh = locale === "zh-CN";
  const types = r.byProblemType.map((x) => `${label(PROBLEM_TYPE_LABELS, x.problemType)[locale]} ${x.count}`);
  const { firstResponse: fr, resolution: res, satisfaction: s } = r;
  const inTime = (met: number, missed: number, rate: number | null) =>
    `${zh ? `按时 ${met}/${met + missed}` : `${met}/${met + missed} in time`}${paren(locale, pct(rate))}`;
  const median = (ms: number | null) => `${zh ? "中位" : "median"} ${dur(ms, locale)}`;
  const resolved = `${zh ? "已解决" : "resolved"} ${res.resolved}/${r.total}${paren(
    locale,
    `${pct(res.resolvedRate)}${zh ? "，目标" : ", target"} ${pct(res.resolvedTarget)}`,
  )}`;
  const satisfaction =
    s.surveys === 0
      ? fmt(locale, "noSurveys")
      : zh
        ? `${s.points} 分（目标 ${s.target}）· 回访 ${s.surveys} 次 · 解决效果 ${s.resolutionScore}/5 · 服务态度 ${s.attitudeScore}/5`
        : `${s.points} points (target ${s.target}) · ${s.surveys} surveys · resolution ${s.resolutionScore}/5 · attitude ${s.attitudeScore}/5`;
  const field = (key: keyof typeof W, value: Inline): Field => ({ label: fmt(locale, key), value: [value] });
  return [
    field("tickets", text(types.length ? `${r.total}${paren(locale, types.join(" · "))}` : "0")),
    field(
      "firstResponse",
      text(`${inTime(fr.met, fr.missed, fr.rate)} · ${median(fr.medianMs)} · P90 ${dur(fr.p90Ms, locale)}`),
    ),
    field(
      "resolution",
      text(`${inTime(res.met, res.missed, res.rate)} · ${resolved} · ${median(res.medianMs)}`),
    ),
    field("breaches", text(String(r.breaches.count))),
    field("satisfaction", text(satisfaction)),
  ];
}

/** A ticket as a link to its board page where there is one, else its number. */
function ticketRef(t: ReviewTicketRef, ctx: CardContext): Inline[] {
  const number: Inline = ctx.boardLink
    ? { kind: "link", text: t.number, url: ctx.boardLink(t.number) }
    : text(t.number);
  return [number, text(` ${t.headline}`)];
}

function listBlock(
  title: string,
  lines: Inline[][],
  total: number,
  locale: Locale,
  style: "normal" | "attention" = "normal",
): Block {
  const content: Inline[] = [];
  lines.slice(0, REVIEW_CARD_LIST).forEach((l, i) => {
    if (i > 0) content.push(text("\n"));
    content.push(...l);
  });
  if (total > Math.min(lines.length, REVIEW_CARD_LIST))
    content.push(text(`\n${fmt(locale, "more", { n: total - Math.min(lines.length, REVIEW_CARD_LIST) })}`));
  return { kind: "text", title, content, ...(style === "normal" ? {} : { style }) };
}

function lowScoreLine(t: LowScoreTicket, ctx: CardContext): Inline[] {
  const { locale } = ctx;
  const zh = locale === "zh-CN";
  const remedy = fmt(
    locale,
    t.remedy === "done" ? "remedyDone" : t.remedy === "open" ? "remedyOpen" : "remedyNone",
  );
  const parts = [
    zh ? `${t.resolutionScore}/${t.attitudeScore} 分` : `scored ${t.resolutionScore}/${t.attitudeScore}`,
  ];
  const colon = zh ? "：" : ": ";
  if (t.suggestion) parts.push(`${fmt(locale, "suggestion")}${colon}${t.suggestion}`);
  parts.push(t.note ? `${remedy}${colon}${t.note}` : remedy);
  if (t.solution) parts.push(`${fmt(locale, "solution")}${colon}${t.solution}`);
  return [...ticketRef(t, ctx), text(`\n  ${parts.join(" · ")}`)];
}

export interface ReviewCardOptions {
  /** The board's review page for this department and week; without it there is no button. */
  readonly pageUrl?: string;
}

/** A department head's weekly review: the figures, the top problems, breaches and low scores, in short. */
export function weeklyReviewCard(review: WeeklyReview, ctx: CardContext, opts: ReviewCardOptions = {}): Card {
  const { locale } = ctx;
  const title = fmt(locale, "title", { week: review.week });
  const department = clip(oneLine(cleanText(departmentName(ctx, review.department))), 60);
  const blocks: Block[] = [{ kind: "fields", fields: fields(review, locale) }];

  const top: Inline[][] = review.topProblems.map((p) => [
    strong(`${p.key} × ${p.count}`),
    text(
      `${paren(locale, label(PROBLEM_TYPE_LABELS, p.problemType)[locale])}${locale === "zh-CN" ? "：" : ": "}`,
    ),
    ...p.examples.flatMap((e, i) => [...(i > 0 ? [text(sep(locale))] : []), ...ticketRef(e, ctx)]),
  ]);
  blocks.push(
    top.length
      ? listBlock(fmt(locale, "top"), top, top.length, locale)
      : { kind: "text", title: fmt(locale, "top"), content: [text(fmt(locale, "noTop"))], style: "muted" },
  );
  if (review.breaches.count)
    blocks.push(
      listBlock(
        fmt(locale, "breachList"),
        review.breaches.tickets.map((t) => ticketRef(t, ctx)),
        review.breaches.count,
        locale,
      ),
    );
  if (review.lowScores.count)
    blocks.push(
      listBlock(
        fmt(locale, "low"),
        review.lowScores.tickets.map((t) => lowScoreLine(t, ctx)),
        review.lowScores.count,
        locale,
        "attention",
      ),
    );
  if (opts.pageUrl)
    blocks.push({
      kind: "actions",
      buttons: [
        {
          id: "review",
          text: fmt(locale, "open"),
          style: "primary",
          does: { kind: "link", url: opts.pageUrl },
        },
      ],
    });

  const below =
    review.satisfaction.points !== null && review.satisfaction.points < review.satisfaction.target;
  const tags: { text: string; tone: Tone }[] = [];
  if (review.breaches.count)
    tags.push({ text: `${fmt(locale, "breaches")} ${review.breaches.count}`, tone: "red" });
  if (below)
    tags.push({ text: `${fmt(locale, "satisfaction")} ${review.satisfaction.points}`, tone: "orange" });
  return {
    kind: "weekly-review",
    locale,
    header: {
      title,
      subtitle: `${department} · ${span(review, ctx)}`,
      tone: review.breaches.count || below ? "orange" : "blue",
      tags,
    },
    blocks,
    summary: `${title} · ${department}`,
  };
}
