/// <reference lib="dom" />
import type { TicketView } from "../../../core/ticket/view.ts";
import { api } from "./api.ts";
import { type LinkTextKey, lt } from "./customer-links-text.ts";
import { h } from "./dom.ts";
import type { Fmt } from "./format.ts";

type Kind = "status" | "survey";

interface LinkState {
  readonly active: boolean;
  readonly issuedAt?: string;
  readonly issuedByName?: string;
  readonly answeredAt?: string;
}

interface Summary {
  readonly number: string;
  readonly lookupUrl: string;
  readonly status: LinkState;
  readonly survey: LinkState;
}

interface Issued {
  readonly kind: Kind;
  readonly url: string;
  readonly code?: string;
  readonly lookupUrl?: string;
}

/** What this page learned: summaries (to draw at once on refresh) and secrets issued here (shown once). */
const summaries = new Map<string, Summary>();
const issued = new Map<string, Issued>();
const notes = new Map<string, string>();

const path = (number: string, kind?: Kind) =>
  `/api/v1/tickets/${encodeURIComponent(number)}/customer-links${kind ? `/${kind}` : ""}`;

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The drawer's section where an agent creates, copies and revokes the customer's status and survey links. */
export function customerLinksSection(v: TicketView, f: Fmt, onError: (err: unknown) => void): HTMLElement {
  const el = h("section", { class: "customer-links", "data-section": "customer-links" });
  const t = (key: LinkTextKey, params?: Record<string, string>) => lt(f.locale, key, params);

  const draw = () => {
    const s = summaries.get(v.number);
    const surveyOpen = v.confirmation?.result === "confirmed" && !v.survey;
    const rows = [row("status", s?.status, true)];
    if (v.status === "resolved") rows.push(row("survey", s?.survey, surveyOpen));
    el.replaceChildren(h("h3", {}, t("title")), ...rows);
  };

  const act = (kind: Kind, method: "POST" | "DELETE") => async () => {
    const key = `${v.number}:${kind}`;
    try {
      if (method === "POST") {
        const got = await api<Issued>("POST", path(v.number, kind));
        issued.set(key, got);
        notes.set(key, (await copy(got.url)) ? t("copied") : t("copyFailed"));
      } else {
        issued.delete(key);
        notes.set(key, t("revoked"));
      }
      if (method === "DELETE") summaries.set(v.number, await api<Summary>("DELETE", path(v.number, kind)));
      else summaries.set(v.number, await api<Summary>("GET", path(v.number)));
      draw();
    } catch (err) {
      onError(err);
    }
  };

  const row = (kind: Kind, state: LinkState | undefined, mayCreate: boolean) => {
    const key = `${v.number}:${kind}`;
    const fresh = issued.get(key);
    const note = notes.get(key);
    const line = !state?.active
      ? t("none")
      : state.answeredAt
        ? t("answered", { at: f.time(state.answeredAt) })
        : t("active", { name: state.issuedByName ?? "", at: f.time(state.issuedAt) });
    const field = (label: LinkTextKey, value: string, name: string) =>
      h(
        "label",
        { class: "link-field" },
        h("span", {}, t(label)),
        h("input", { type: "text", readonly: true, value, "data-link": name, onfocus: selectAll }),
      );
    return h(
      "div",
      { class: "link-row", "data-kind": kind },
      h("strong", {}, t(kind === "status" ? "statusLink" : "surveyLink")),
      h("p", { class: "muted", "data-state": "" }, line),
      fresh ? field("url", fresh.url, "url") : null,
      fresh?.code ? field("code", fresh.code, "code") : null,
      fresh?.lookupUrl ? h("p", { class: "muted" }, t("lookup", { url: fresh.lookupUrl })) : null,
      fresh ? h("p", { class: "muted" }, t("onceOnly")) : null,
      note ? h("p", { class: "link-note", role: "status" }, note) : null,
      kind === "survey" && !mayCreate && !state?.answeredAt
        ? h("p", { class: "muted" }, t("surveyWaits"))
        : null,
      h(
        "div",
        { class: "drawer-actions" },
        fresh
          ? h(
              "button",
              {
                type: "button",
                class: "secondary",
                "data-action": `copy-${kind}`,
                onclick: () =>
                  void copy(fresh.url).then((ok) => {
                    notes.set(key, ok ? t("copied") : t("copyFailed"));
                    draw();
                  }),
              },
              t("copy"),
            )
          : null,
        mayCreate
          ? h(
              "button",
              {
                type: "button",
                class: "secondary",
                "data-action": `create-${kind}`,
                onclick: act(kind, "POST"),
              },
              t(state?.active ? "replace" : "create"),
            )
          : null,
        state?.active
          ? h(
              "button",
              {
                type: "button",
                class: "secondary",
                "data-action": `revoke-${kind}`,
                onclick: act(kind, "DELETE"),
              },
              t("revoke"),
            )
          : null,
      ),
    );
  };

  draw();
  api<Summary>("GET", path(v.number))
    .then((s) => {
      summaries.set(v.number, s);
      draw();
    })
    .catch(onError);
  return el;
}

function selectAll(e: Event): void {
  (e.target as HTMLInputElement).select();
}
