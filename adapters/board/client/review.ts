/// <reference lib="dom" />
import type { WeeklyReview } from "../../../core/review/review.ts";
import type { SentReview } from "../../../core/review/reviews.ts";
import { nextWeek } from "../../../core/review/week.ts";
import { formatSpan } from "../i18n.ts";
import { ApiError, api, setCsrf } from "./api.ts";
import { h } from "./dom.ts";
import { type Fmt, formatter } from "./format.ts";
import { applyTheme, detectHost } from "./host.ts";
import { type BoardMeta, readMeta } from "./meta.ts";

interface ReviewAnswer {
  readonly department: string;
  readonly week: string;
  readonly previousWeek: string;
  readonly departments: readonly string[];
  readonly sent: SentReview | null;
  readonly review: WeeklyReview;
}

const meta = readMeta<BoardMeta>();
setCsrf(meta.csrf);
let f: Fmt = formatter(meta.locale, meta.timeZone);

const pct = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10}%`);
const span = (ms: number | null) => (ms === null ? "—" : formatSpan(ms, f.locale));
const departmentName = (id: string) => meta.departments.find((d) => d.id === id)?.name ?? id;
const personName = (id: string) => meta.people.find((p) => p.id === id)?.name ?? id;
const ticketLink = (number: string) =>
  h("a", { href: `/board/tickets/${encodeURIComponent(number)}` }, number);

const pageUrl = (department: string, week: string) =>
  `/board/review?${new URLSearchParams({ department, week }).toString()}`;

function figures(r: WeeklyReview): HTMLElement {
  const rows: [string, string][] = [
    [
      f.t("review.tickets"),
      r.total === 0
        ? "0"
        : `${r.total} · ${r.byProblemType.map((x) => `${f.problemType(x.problemType)} ${x.count}`).join(" · ")}`,
    ],
    [
      f.t("review.firstResponse"),
      `${f.t("review.inTime", {
        met: r.firstResponse.met,
        known: r.firstResponse.met + r.firstResponse.missed,
        p: pct(r.firstResponse.rate),
      })} · ${f.t("review.median", { d: span(r.firstResponse.medianMs), p90: span(r.firstResponse.p90Ms) })}`,
    ],
    [
      f.t("review.resolution"),
      `${f.t("review.inTime", {
        met: r.resolution.met,
        known: r.resolution.met + r.resolution.missed,
        p: pct(r.resolution.rate),
      })} · ${f.t("review.resolved", {
        n: r.resolution.resolved,
        total: r.total,
        p: pct(r.resolution.resolvedRate),
        target: pct(r.resolution.resolvedTarget),
      })} · ${f.t("review.median", { d: span(r.resolution.medianMs), p90: span(r.resolution.p90Ms) })}`,
    ],
    [f.t("review.breaches"), String(r.breaches.count)],
    [
      f.t("review.satisfaction"),
      r.satisfaction.surveys === 0
        ? f.t("review.noSurveys")
        : f.t("review.points", {
            points: r.satisfaction.points ?? "—",
            target: r.satisfaction.target,
            n: r.satisfaction.surveys,
            r: r.satisfaction.resolutionScore ?? "—",
            a: r.satisfaction.attitudeScore ?? "—",
          }),
    ],
  ];
  return h(
    "dl",
    { class: "fields review-figures" },
    rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-figure": k }, v)]),
  );
}

function section(title: string, cls: string, body: Node): HTMLElement {
  return h("section", { class: `stat ${cls}` }, h("h2", {}, title), body);
}

const none = () => h("p", { class: "muted" }, f.t("review.none"));

function render(answer: ReviewAnswer): void {
  const { review: r } = answer;
  const select = h(
    "select",
    {
      id: "review-department",
      onchange: (e: Event) => location.assign(pageUrl((e.target as HTMLSelectElement).value, answer.week)),
    },
    answer.departments.map((d) =>
      h("option", { value: d, selected: d === answer.department }, departmentName(d)),
    ),
  );
  const sent = answer.sent
    ? answer.sent.sent
      ? f.t("review.sent", { at: f.time(answer.sent.decidedAt), name: personName(answer.sent.head) })
      : f.t("review.skipped")
    : f.t("review.notSent");
  const controls = h(
    "div",
    { class: "review-controls" },
    h("label", { for: "review-department" }, f.t("review.department")),
    select,
    h("a", { href: pageUrl(answer.department, answer.previousWeek), rel: "prev" }, `← ${f.t("review.prev")}`),
    h("strong", { class: "week", "data-week": answer.week }, answer.week),
    h(
      "a",
      { href: pageUrl(answer.department, nextWeek(answer.week)), rel: "next" },
      `${f.t("review.next")} →`,
    ),
  );
  const top = r.topProblems.length
    ? h(
        "ol",
        {},
        r.topProblems.map((p) =>
          h(
            "li",
            {},
            h("strong", {}, `${p.key} × ${p.count}`),
            ` · ${f.problemType(p.problemType)} · `,
            p.examples.flatMap((e, i) => [i > 0 ? ", " : "", ticketLink(e.number), ` ${e.headline}`]),
          ),
        ),
      )
    : h("p", { class: "muted" }, f.t("review.noTop"));
  const breaches = r.breaches.count
    ? h(
        "ul",
        {},
        r.breaches.tickets.map((t) => h("li", {}, ticketLink(t.number), ` ${t.headline}`)),
      )
    : none();
  const low = r.lowScores.count
    ? h(
        "ul",
        {},
        r.lowScores.tickets.map((t) =>
          h(
            "li",
            { "data-number": t.number },
            ticketLink(t.number),
            ` ${t.headline}`,
            h("br"),
            f.t("review.scores", { r: t.resolutionScore, a: t.attitudeScore }),
            t.suggestion ? ` · ${f.t("review.suggestion", { text: t.suggestion })}` : "",
            h("br"),
            t.remedy === "done"
              ? f.t("review.remedyDone", { note: t.note ?? "" })
              : f.t(t.remedy === "open" ? "review.remedyOpen" : "review.remedyNone"),
            t.solution ? ` · ${f.t("review.solution", { text: t.solution })}` : "",
          ),
        ),
      )
    : none();

  const app = document.getElementById("app")!;
  app.replaceChildren(
    h(
      "header",
      { class: "top" },
      h("h1", {}, `${f.t("review.title")} · ${departmentName(answer.department)} · ${answer.week}`),
      h(
        "nav",
        {},
        h("a", { href: "/board" }, f.t("nav.board")),
        h("a", { href: "/board/late" }, f.t("nav.late")),
        h("a", { href: "/board/stats" }, f.t("nav.stats")),
        h("a", { href: "/board/review", "aria-current": "page" }, f.t("nav.review")),
      ),
    ),
    h(
      "main",
      { class: "stats review", id: "main" },
      controls,
      h("p", { class: "period", role: "status" }, sent),
      h(
        "div",
        { class: "grid" },
        section(f.t("review.tickets"), "figures", figures(r)),
        section(f.t("review.top"), "top", top),
        section(f.t("review.breaches"), "breaches", breaches),
        section(f.t("review.low"), "low", low),
      ),
    ),
  );
  app.setAttribute("aria-busy", "false");
  document.documentElement.dataset.ready = "true";
}

function refused(message: string): void {
  const app = document.getElementById("app")!;
  app.replaceChildren(
    h("main", { class: "stats review" }, h("p", { class: "muted", role: "alert" }, message)),
  );
  app.setAttribute("aria-busy", "false");
  document.documentElement.dataset.ready = "true";
}

async function load(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams();
  for (const k of ["department", "week"]) {
    const v = params.get(k);
    if (v) query.set(k, v);
  }
  try {
    render(await api<ReviewAnswer>("GET", `/api/v1/reviews/weekly?${query.toString()}`));
  } catch (e) {
    if (e instanceof ApiError) refused(e.body.message);
    else refused(f.t("error.generic", { reason: String(e) }));
  }
}

const explicitLang = new URLSearchParams(location.search).has("lang");
document.title = `${f.t("review.title")} · closeloop`;
const ready = load();
detectHost(meta.hostOrigins).then((info) => {
  document.documentElement.dataset.host = info.host;
  applyTheme(info.theme);
  if (info.locale && !explicitLang && info.locale !== f.locale) {
    f = formatter(info.locale, meta.timeZone);
    void ready.then(load);
  }
});
