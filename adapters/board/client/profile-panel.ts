/// <reference lib="dom" />
import { tagLabel } from "../../../core/profiles/tags.ts";
import type { CustomerView } from "../../http/profile-view.ts";
import type { BoardKey } from "../i18n.ts";
import { ApiError, api } from "./api.ts";
import { h } from "./dom.ts";
import type { Fmt } from "./format.ts";

/**
 * The drawer's customer section: the profile the ticket belongs to, its history (this ticket left out) and
 * the customer's other recent tickets. Filled in when the profile arrives; stays hidden when there is none.
 */
export function customerPanel(number: string, f: Fmt, onError: (err: unknown) => void): HTMLElement {
  const el = h("section", { class: "customer-history", hidden: true, "data-customer": "" });
  api<CustomerView>("GET", `/api/v1/customers/by-ticket/${encodeURIComponent(number)}`)
    .then((c) => {
      const h1 = c.history;
      const lines: (string | Node)[] = [
        f.t(`customer.type.${c.type}` as BoardKey),
        h1.tickets === 0
          ? f.t("customer.first")
          : f.t("customer.history", { n: h1.tickets, open: h1.open, complaints: h1.complaints }),
      ];
      if (h1.averageScore !== undefined)
        lines.push(f.t("customer.score", { avg: h1.averageScore, n: h1.surveys, low: h1.lowScores }));
      const parts: (Node | null)[] = [
        h("h3", {}, f.t("customer.title")),
        h("p", { class: "customer-summary" }, lines.join(" · ")),
        h(
          "dl",
          { class: "fields" },
          c.organisation ? [h("dt", {}, f.t("customer.organisation")), h("dd", {}, c.organisation)] : [],
          c.tags.length
            ? [
                h("dt", {}, f.t("customer.tags")),
                h(
                  "dd",
                  {},
                  c.tags.map((t) => tagLabel(t)[f.locale]).join(f.locale === "zh-CN" ? "、" : ", "),
                ),
              ]
            : [],
        ),
        c.recent.length
          ? h(
              "details",
              {},
              h("summary", {}, f.t("customer.recent")),
              h(
                "ul",
                {},
                c.recent.map((t) =>
                  h(
                    "li",
                    {},
                    h("a", { href: `/board/tickets/${encodeURIComponent(t.number)}` }, t.number),
                    ` · ${f.time(t.createdAt)} · ${f.status(t.status)} · ${f.problemType(t.problemType)}`,
                    t.survey ? ` · ${t.survey.resolutionScore}/${t.survey.attitudeScore}` : "",
                    h("br"),
                    t.headline,
                  ),
                ),
              ),
            )
          : null,
      ];
      el.replaceChildren(...parts.filter((p): p is Node => p !== null));
      el.hidden = false;
    })
    .catch((err: unknown) => {
      // No profile (an anonymous ticket) is not an error worth showing.
      if (!(err instanceof ApiError && err.status === 404)) onError(err);
    });
  return el;
}
