/// <reference lib="dom" />
import type { Locale } from "../../../core/i18n/locale.ts";
import type { ArticleView, Suggestion } from "../../../core/kb/views.ts";
import { type KbBoardKey, kt } from "../kb-i18n.ts";
import { ApiError, api } from "./api.ts";
import { h } from "./dom.ts";
import { renderArticle } from "./kb-markdown.ts";

const DAY = 86_400_000;

interface Answer {
  readonly items: Suggestion[];
  readonly sent?: boolean;
}

/** The section last built: the drawer re-renders on every live update, and this keeps its state and height. */
let last: { readonly key: string; readonly section: Section } | undefined;

interface Section {
  readonly el: HTMLElement;
  /** Fetches the suggestions again; redraws only when they changed (an open article stays open). */
  reload(): void;
}

/**
 * The drawer's "Suggested answers" for a ticket: the same articles the ticket card shows, each to read in
 * full, send into the ticket's chat, and mark as solved or not. Loads itself; says what happened in place.
 * Asked again for the same ticket (a refresh of the drawer), it gives back the same element.
 */
export function kbSection(
  number: string,
  locale: Locale,
  personName: (id: string | undefined) => string,
): HTMLElement {
  const key = `${locale}:${number}`;
  if (last?.key === key) last.section.reload();
  else last = { key, section: buildSection(number, locale, personName) };
  return last.section.el;
}

function buildSection(
  number: string,
  locale: Locale,
  personName: (id: string | undefined) => string,
): Section {
  const t = (key: KbBoardKey, params?: Record<string, string | number>) => kt(locale, key, params);
  const list = h("ol", { class: "kb-list" });
  const status = h("p", { class: "kb-status muted", role: "status" });
  const el = h(
    "section",
    { class: "kb-suggestions", "data-kb": number },
    h("h3", {}, t("kb.suggested")),
    list,
    status,
  );
  const base = `/api/v1/kb/tickets/${encodeURIComponent(number)}`;
  const say = (text: string) => {
    status.textContent = text;
  };
  const fail = (err: unknown) => say(err instanceof ApiError ? err.body.message : String(err));

  const act = (path: string, body: object, done: (a: Answer) => string) =>
    api<Answer>("POST", `${base}/${path}`, body)
      .then((a) => {
        render(a.items);
        say(done(a));
      })
      .catch(fail);

  function item(s: Suggestion): HTMLElement {
    const article = h("div", { class: "kb-article", hidden: true });
    const read = h("button", { type: "button", class: "link", "aria-expanded": "false" }, t("kb.read"));
    read.addEventListener("click", () => {
      if (!article.hidden) {
        article.hidden = true;
        read.textContent = t("kb.read");
        read.setAttribute("aria-expanded", "false");
        return;
      }
      api<ArticleView>("GET", `/api/v1/kb/articles/${encodeURIComponent(s.id)}`)
        .then((a) => {
          article.replaceChildren(...renderArticle(a.body, h));
          article.hidden = false;
          read.textContent = t("kb.hide");
          read.setAttribute("aria-expanded", "true");
        })
        .catch(fail);
    });
    const actions: (HTMLElement | string)[] = [];
    if (!s.sentAt && !s.outcome)
      actions.push(
        h(
          "button",
          {
            type: "button",
            class: "secondary",
            "data-kb-action": "send",
            onclick: () =>
              void act("send", { article: s.id }, (a) =>
                t(a.sent ? "kb.sentNow" : "kb.alreadySent", { title: s.title }),
              ),
          },
          t("kb.send"),
        ),
      );
    else if (!s.outcome) {
      actions.push(h("small", {}, t("kb.sent", { name: personName(s.sentBy) })));
      for (const outcome of ["solved", "unsolved"] as const)
        actions.push(
          h(
            "button",
            {
              type: "button",
              class: "secondary",
              "data-kb-action": outcome,
              onclick: () =>
                void act("feedback", { article: s.id, outcome }, () =>
                  t(outcome === "solved" ? "kb.markedSolved" : "kb.markedUnsolved"),
                ),
            },
            t(outcome === "solved" ? "kb.solved" : "kb.unsolved"),
          ),
        );
    } else actions.push(h("small", {}, t(s.outcome === "solved" ? "kb.markedSolved" : "kb.markedUnsolved")));
    const days = Math.floor((Date.now() - Date.parse(s.reviewedAt)) / DAY);
    return h(
      "li",
      { class: "kb-item", "data-article": s.id },
      h("strong", {}, s.title),
      s.stale ? h("span", { class: "badge stale" }, t("kb.stale", { days })) : null,
      s.solved || s.unsolved
        ? h("small", { class: "muted" }, ` ${t("kb.tally", { solved: s.solved, unsolved: s.unsolved })}`)
        : null,
      h("p", { class: "excerpt" }, s.excerpt),
      h("div", { class: "kb-actions" }, ...actions, read),
      article,
    );
  }

  let shown = "";
  function render(items: readonly Suggestion[]): void {
    shown = JSON.stringify(items);
    list.replaceChildren(...items.map(item));
    if (items.length === 0) say(t("kb.noSuggestions"));
  }

  const reload = () =>
    void api<Answer>("GET", `${base}/suggestions`)
      .then((a) => {
        if (JSON.stringify(a.items) !== shown) render(a.items);
      })
      .catch(fail);
  reload();
  return { el, reload };
}
