/// <reference lib="dom" />
import type { ArticleView } from "../../../core/kb/views.ts";
import { type KbBoardKey, kt } from "../kb-i18n.ts";
import { ApiError, api, setCsrf } from "./api.ts";
import { h } from "./dom.ts";
import { formatter } from "./format.ts";
import { applyTheme, detectHost } from "./host.ts";
import { renderArticle } from "./kb-markdown.ts";
import { type BoardMeta, readMeta } from "./meta.ts";

/** The knowledge-base page: search, read, and (for editors, heads and admins) write articles. */
const meta = readMeta<BoardMeta>();
setCsrf(meta.csrf);
const f = formatter(meta.locale, meta.timeZone);
const t = (key: KbBoardKey, params?: Record<string, string | number>) => kt(meta.locale, key, params);
// The server decides; this only hides controls that would be refused.
const mayEdit = meta.viewer.roles.some((r) => r === "editor" || r === "head" || r === "admin");
const personName = (id: string) => meta.people.find((p) => p.id === id)?.name ?? id;

const list = h("ol", { class: "kb-results" });
const count = h("p", { class: "muted", role: "status" });
const detail = h("section", { class: "kb-detail", "aria-live": "polite" });
const toasts = h("div", { class: "toasts", "aria-live": "polite" });

function toast(text: string, kind: "info" | "error" = "info"): void {
  const el = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
  toasts.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 8000 : 4000);
}
const fail = (err: unknown) =>
  toast(err instanceof ApiError ? err.body.message : f.t("error.generic", { reason: String(err) }), "error");

const day = (iso: string) => iso.slice(0, 10);

function badges(a: ArticleView): HTMLElement {
  return h(
    "p",
    { class: "kb-meta muted" },
    a.tags.map((tag) => h("span", { class: "tag" }, tag)),
    a.problemType ? ` ${f.problemType(a.problemType)} · ` : " ",
    t("kb.owner", { name: a.ownerName }),
    ` · ${t("kb.reviewed", { date: day(a.reviewedAt) })}`,
    a.stale ? h("span", { class: "badge stale" }, t("kb.stale", { days: a.reviewedDaysAgo })) : null,
    a.solved || a.unsolved ? ` · ${t("kb.tally", { solved: a.solved, unsolved: a.unsolved })}` : "",
  );
}

function show(a: ArticleView): void {
  detail.replaceChildren(
    h("h2", {}, a.title),
    badges(a),
    h("div", { class: "kb-article" }, ...renderArticle(a.body, h)),
    mayEdit
      ? h("button", { type: "button", class: "secondary", onclick: () => edit(a) }, t("kb.edit"))
      : h("p", { class: "muted" }, t("kb.readOnly")),
  );
  history.replaceState(null, "", `/board/kb?article=${encodeURIComponent(a.id)}`);
}

function field(label: string, control: HTMLElement): HTMLElement {
  return h("label", { class: "kb-field" }, h("span", {}, label), control);
}

/** The editor: a new article when `a` is absent, else a change of `a` at the revision shown. */
function edit(a?: ArticleView): void {
  const title = h("input", {
    name: "title",
    required: true,
    maxlength: 200,
    value: a?.title ?? "",
  }) as HTMLInputElement;
  const body = h("textarea", {
    name: "body",
    required: true,
    rows: 14,
    maxlength: 20000,
  }) as HTMLTextAreaElement;
  body.value = a?.body ?? "";
  const tags = h("input", { name: "tags", value: a?.tags.join(", ") ?? "" }) as HTMLInputElement;
  const type = h(
    "select",
    { name: "problemType" },
    h("option", { value: "" }, t("kb.anyType")),
    meta.problemTypes.map((p) => h("option", { value: p, selected: a?.problemType === p }, f.problemType(p))),
  ) as HTMLSelectElement;
  const owner = h(
    "select",
    { name: "owner" },
    [...new Set([...(a ? [a.owner] : []), meta.viewer.id, ...meta.people.map((p) => p.id)])].map((id) =>
      h("option", { value: id, selected: (a?.owner ?? meta.viewer.id) === id }, personName(id)),
    ),
  ) as HTMLSelectElement;
  const reviewed = h("input", { type: "checkbox", name: "reviewed" }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "kb-editor" },
    h("h2", {}, a ? `${t("kb.edit")} · ${a.title}` : t("kb.new")),
    field(t("kb.field.title"), title),
    field(t("kb.field.body"), body),
    field(t("kb.field.tags"), tags),
    field(t("kb.field.problemType"), type),
    field(t("kb.field.owner"), owner),
    a ? h("label", { class: "kb-check" }, reviewed, ` ${t("kb.field.reviewed")}`) : null,
    h(
      "div",
      { class: "kb-buttons" },
      h("button", { type: "submit" }, t("kb.save")),
      h(
        "button",
        { type: "button", class: "secondary", onclick: () => (a ? show(a) : detail.replaceChildren()) },
        t("kb.cancel"),
      ),
    ),
  ) as HTMLFormElement;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const fields = {
      title: title.value,
      body: body.value,
      tags: tags.value
        .split(/[,，]/)
        .map((x) => x.trim())
        .filter(Boolean),
      owner: owner.value,
    };
    const saved = a
      ? api<ArticleView>("PATCH", `/api/v1/kb/articles/${encodeURIComponent(a.id)}`, {
          ...fields,
          rev: a.rev,
          problemType: type.value || null,
          ...(reviewed.checked ? { reviewed: true } : {}),
        })
      : api<ArticleView>("POST", "/api/v1/kb/articles", {
          ...fields,
          ...(type.value ? { problemType: type.value } : {}),
        });
    saved
      .then((article) => {
        toast(t("kb.saved", { title: article.title }));
        show(article);
        return search();
      })
      .catch(fail);
  });
  detail.replaceChildren(form);
  title.focus();
}

const q = h("input", {
  type: "search",
  id: "kb-q",
  name: "q",
  maxlength: 200,
  placeholder: t("kb.search"),
}) as HTMLInputElement;
const tag = h("input", { name: "tag", maxlength: 40, placeholder: t("kb.tag") }) as HTMLInputElement;
const staleOnly = h("input", { type: "checkbox", name: "stale" }) as HTMLInputElement;

async function search(): Promise<void> {
  const params = new URLSearchParams({ limit: "50" });
  if (q.value.trim()) params.set("q", q.value.trim());
  if (tag.value.trim()) params.set("tag", tag.value.trim());
  if (staleOnly.checked) params.set("stale", "true");
  const res = await api<{ items: ArticleView[]; total: number }>("GET", `/api/v1/kb/articles?${params}`);
  count.textContent = res.total ? t("kb.count", { n: res.total }) : t("kb.none");
  list.replaceChildren(
    ...res.items.map((a) =>
      h(
        "li",
        { "data-article": a.id, class: a.stale ? "stale" : undefined },
        h("button", { type: "button", class: "link", onclick: () => show(a) }, a.title),
        a.stale ? h("span", { class: "badge stale" }, t("kb.stale", { days: a.reviewedDaysAgo })) : null,
        h("p", { class: "excerpt muted" }, a.excerpt),
      ),
    ),
  );
}

function mount(): void {
  const app = document.getElementById("app")!;
  document.documentElement.lang = meta.locale;
  document.title = `${t("kb.title")} · closeloop`;
  const form = h(
    "form",
    { class: "kb-search", role: "search" },
    q,
    tag,
    h("label", {}, staleOnly, ` ${t("kb.staleOnly")}`),
    h("button", { type: "submit" }, t("kb.find")),
    mayEdit ? h("button", { type: "button", class: "secondary", onclick: () => edit() }, t("kb.new")) : null,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void search().catch(fail);
  });
  app.replaceChildren(
    h(
      "header",
      { class: "top" },
      h("h1", {}, t("kb.title")),
      h(
        "nav",
        { "aria-label": t("kb.title") },
        h("a", { href: "/board" }, f.t("nav.board")),
        h("a", { href: "/board/late" }, f.t("nav.late")),
        h("a", { href: "/board/stats" }, f.t("nav.stats")),
        h("a", { href: "/board/kb", "aria-current": "page" }, t("kb.title")),
      ),
      h("span", { class: "who" }, f.t("nav.signedInAs", { name: meta.viewer.name })),
    ),
    h("main", { class: "kb", id: "main" }, form, count, h("div", { class: "kb-columns" }, list, detail)),
    toasts,
  );
  app.setAttribute("aria-busy", "false");
}

mount();
const wanted = new URLSearchParams(location.search).get("article");
search()
  .then(() =>
    wanted
      ? api<ArticleView>("GET", `/api/v1/kb/articles/${encodeURIComponent(wanted)}`).then(show)
      : undefined,
  )
  .catch(fail)
  .finally(() => {
    document.documentElement.dataset.ready = "true";
  });
detectHost(meta.hostOrigins).then((info) => applyTheme(info.theme));
