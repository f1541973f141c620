/// <reference lib="dom" />
import type { Stats } from "../../../core/stats/stats.ts";
import { formatSpan } from "../i18n.ts";
import { api, setCsrf } from "./api.ts";
import { h } from "./dom.ts";
import { formatter } from "./format.ts";
import { applyTheme, detectHost } from "./host.ts";
import { type BoardMeta, readMeta } from "./meta.ts";

interface ECharts {
  init(
    el: HTMLElement,
    theme?: string,
    opts?: { renderer?: string },
  ): { setOption(o: unknown): void; resize(): void; dispose(): void };
}

const meta = readMeta<BoardMeta>();
setCsrf(meta.csrf);
let f = formatter(meta.locale, meta.timeZone);
const charts: { resize(): void; dispose(): void }[] = [];

function loadECharts(): Promise<ECharts> {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = "/board/assets/echarts.min.js";
    s.onload = () => resolve((window as unknown as { echarts: ECharts }).echarts);
    s.onerror = () => reject(new Error("echarts"));
    document.head.append(s);
  });
}

/** A chart with its numbers also in a table, for screen readers and for anyone who prefers numbers. */
function figure(
  id: string,
  title: string,
  head: string[],
  rows: (string | number)[][],
): { box: HTMLElement; el: HTMLElement } {
  const el = h("div", { class: "chart", role: "img", "aria-label": title, id });
  const box = h(
    "figure",
    { class: "stat" },
    h("figcaption", {}, h("h2", {}, title)),
    el,
    h(
      "details",
      {},
      h("summary", {}, f.t("stats.tickets")),
      h(
        "table",
        {},
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            head.map((x) => h("th", { scope: "col" }, x)),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              {},
              r.map((c) => h("td", {}, String(c))),
            ),
          ),
        ),
      ),
    ),
  );
  return { box, el };
}

const bucketLabel = (upTo: number | null, prev: number | null) =>
  upTo === null ? `> ${formatSpan(prev ?? 0, f.locale)}` : `≤ ${formatSpan(upTo, f.locale)}`;

async function render(): Promise<void> {
  const [stats, echarts] = await Promise.all([
    api<Stats & { weeks: number }>("GET", "/api/v1/stats"),
    loadECharts(),
  ]);
  for (const c of charts.splice(0)) c.dispose();
  const dark =
    document.documentElement.dataset.theme === "dark" ||
    document.documentElement.dataset.theme === "contrast";
  const dept = (id: string) => meta.departments.find((d) => d.id === id)?.name ?? id;
  const pct = (n: number | null) => (n === null ? "—" : `${Math.round(n * 1000) / 10}%`);
  const axisColor = dark ? "#ddd" : "#333";
  const base = {
    textStyle: { color: axisColor },
    tooltip: { trigger: "axis" },
    grid: { left: 48, right: 16, top: 24, bottom: 48, containLabel: true },
  };
  const buckets = (d: Stats["resolution"]) =>
    d.buckets.map((b, i) => bucketLabel(b.upToMs, d.buckets[i - 1]?.upToMs ?? null));

  const figs = [
    {
      fig: figure(
        "chart-type",
        f.t("stats.byType"),
        [f.t("filter.type"), f.t("stats.tickets")],
        stats.byProblemType.map((x) => [f.problemType(x.problemType), x.count]),
      ),
      option: {
        ...base,
        tooltip: { trigger: "item" },
        series: [
          {
            type: "pie",
            radius: ["35%", "65%"],
            label: { color: axisColor },
            data: stats.byProblemType.map((x) => ({ name: f.problemType(x.problemType), value: x.count })),
          },
        ],
      },
    },
    {
      fig: figure(
        "chart-first",
        `${f.t("stats.firstResponse")} · ${f.t("stats.withinTarget", { p: stats.firstResponse.withinTarget == null ? "—" : Math.round(stats.firstResponse.withinTarget * 100) })}`,
        ["", f.t("stats.tickets")],
        stats.firstResponse.buckets.map((b, i) => [buckets(stats.firstResponse)[i]!, b.count]),
      ),
      option: {
        ...base,
        xAxis: { type: "category", data: buckets(stats.firstResponse) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: stats.firstResponse.buckets.map((b) => b.count) }],
      },
    },
    {
      fig: figure(
        "chart-resolution",
        f.t("stats.resolution"),
        ["", f.t("stats.tickets")],
        stats.resolution.buckets.map((b, i) => [buckets(stats.resolution)[i]!, b.count]),
      ),
      option: {
        ...base,
        xAxis: { type: "category", data: buckets(stats.resolution) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: stats.resolution.buckets.map((b) => b.count) }],
      },
    },
    {
      fig: figure(
        "chart-rate",
        `${f.t("stats.resolutionRate")} · ${pct(stats.resolutionRate.rate)} / ${f.t("stats.target")} ${pct(stats.resolutionRate.target)}`,
        [f.t("stats.rate"), f.t("stats.target")],
        [[pct(stats.resolutionRate.rate), pct(stats.resolutionRate.target)]],
      ),
      option: {
        ...base,
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: [f.t("stats.rate")] },
        series: [
          {
            type: "bar",
            data: [Math.round((stats.resolutionRate.rate ?? 0) * 1000) / 10],
            label: { show: true, formatter: "{c}%" },
            markLine: {
              symbol: "none",
              label: { formatter: `${f.t("stats.target")} {c}%` },
              lineStyle: { type: "dashed" },
              data: [{ xAxis: stats.resolutionRate.target * 100 }],
            },
          },
        ],
      },
    },
    {
      fig: figure(
        "chart-breach",
        f.t("stats.breach"),
        [f.t("filter.department"), f.t("stats.tickets"), f.t("stats.rate")],
        stats.slaBreachByDepartment.map((d) => [
          dept(d.department),
          `${d.breached} / ${d.total}`,
          pct(d.rate),
        ]),
      ),
      option: {
        ...base,
        xAxis: {
          type: "category",
          data: stats.slaBreachByDepartment.map((d) => dept(d.department)),
          axisLabel: { interval: 0, rotate: 20 },
        },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          {
            type: "bar",
            data: stats.slaBreachByDepartment.map((d) => Math.round(d.rate * 1000) / 10),
            label: { show: true, position: "top", formatter: "{c}%" },
          },
        ],
      },
    },
    {
      fig: figure(
        "chart-satisfaction",
        f.t("stats.satisfaction"),
        ["", f.t("stats.points"), f.t("stats.tickets")],
        stats.satisfactionByWeek.map((w) => [w.week, w.points ?? "—", w.surveys]),
      ),
      option: {
        ...base,
        xAxis: { type: "category", data: stats.satisfactionByWeek.map((w) => w.week) },
        yAxis: { type: "value", min: 0, max: 100 },
        series: [
          {
            type: "line",
            data: stats.satisfactionByWeek.map((w) => w.points),
            label: { show: true },
            markLine: {
              symbol: "none",
              label: { formatter: `${f.t("stats.target")} {c}` },
              lineStyle: { type: "dashed" },
              data: [{ yAxis: stats.satisfactionTarget }],
            },
          },
        ],
      },
    },
  ];

  const top = h(
    "section",
    { class: "stat top" },
    h("h2", {}, f.t("stats.top")),
    stats.topProblems.length
      ? h(
          "ol",
          {},
          stats.topProblems.map((p) =>
            h(
              "li",
              {},
              h("strong", {}, p.key === p.problemType ? f.problemType(p.key) : p.key),
              ` · ${f.problemType(p.problemType)} · ${p.count} · ${p.examples.join(", ")}`,
            ),
          ),
        )
      : h("p", {}, f.t("stats.noData")),
  );
  const main = h(
    "main",
    { class: "stats", id: "main" },
    h("p", { class: "period" }, f.t("stats.period", { n: stats.weeks, total: stats.total })),
    h(
      "div",
      { class: "grid" },
      figs.map((x) => x.fig.box),
      top,
    ),
  );
  const app = document.getElementById("app")!;
  app.replaceChildren(
    h(
      "header",
      { class: "top" },
      h("h1", {}, f.t("stats.title")),
      h(
        "nav",
        {},
        h("a", { href: "/board" }, f.t("nav.board")),
        h("a", { href: "/board/late" }, f.t("nav.late")),
        h("a", { href: "/board/stats", "aria-current": "page" }, f.t("nav.stats")),
        h("a", { href: "/board/kb" }, f.t("nav.kb")),
      ),
    ),
    main,
  );
  for (const x of figs) {
    const chart = echarts.init(x.fig.el, dark ? "dark" : undefined, { renderer: "svg" });
    chart.setOption({ backgroundColor: "transparent", animation: false, ...x.option });
    charts.push(chart);
  }
  app.setAttribute("aria-busy", "false");
  document.documentElement.dataset.ready = "true";
}

window.addEventListener("resize", () => {
  for (const c of charts) c.resize();
});
const explicitLang = new URLSearchParams(location.search).has("lang");
const ready = render();
detectHost(meta.hostOrigins).then((info) => {
  document.documentElement.dataset.host = info.host;
  applyTheme(info.theme);
  if (info.locale && !explicitLang && info.locale !== f.locale) {
    f = formatter(info.locale, meta.timeZone);
    void ready.then(render);
  } else if (info.theme) void ready.then(render);
});
