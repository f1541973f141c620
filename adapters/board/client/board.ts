/// <reference lib="dom" />
import type { Locale } from "../../../core/i18n/locale.ts";
import { byResolvedDesc, byUrgency, moveCommand } from "../order.ts";
import type { Tile } from "../tiles.ts";
import { ApiError, api, setCsrf } from "./api.ts";
import { askText, choose } from "./dialog.ts";
import { h } from "./dom.ts";
import { Drawer } from "./drawer.ts";
import { exportButton } from "./export-dialog.ts";
import { type Fmt, formatter } from "./format.ts";
import { applyTheme, detectHost, type HostInfo } from "./host.ts";
import { Lane } from "./lane.ts";
import { type BoardMeta, readMeta } from "./meta.ts";
import { nudgeWaiting, renderTile } from "./tile.ts";

type Status = Tile["status"];
const STATUSES: Status[] = ["pending", "in_progress", "resolved"];
const FILTER_KEYS = ["department", "owner", "priority", "type", "overdue", "mine", "q"] as const;
const REFRESH_MS = 60_000;

const meta = readMeta<BoardMeta>();
setCsrf(meta.csrf);
let f: Fmt = formatter(meta.locale, meta.timeZone);
let host: HostInfo = { host: "browser", framed: window.parent !== window };
const view: "board" | "late" = meta.view === "late" ? "late" : "board";
const tiles = new Map<string, Tile>();
const busy = new Set<string>();
let lanes: Record<Status, Lane>;
let counts: Record<Status, HTMLElement>;
let lateBody: HTMLElement | undefined;
let source: EventSource | undefined;
let liveEl: HTMLElement;
let toasts: HTMLElement;
let nowOffset = 0;

const now = () => Date.now() + nowOffset;
const personName = (id: string | undefined) => meta.people.find((p) => p.id === id)?.name ?? id ?? "";
const departmentName = (id: string) => meta.departments.find((d) => d.id === id)?.name ?? id;

function filtersFromUrl(): URLSearchParams {
  const src = new URLSearchParams(location.search);
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = src.get(k);
    if (v) out.set(k, v);
  }
  return out;
}

function pagePath(open?: string): string {
  const base = open
    ? `/board/tickets/${encodeURIComponent(open)}`
    : view === "late"
      ? "/board/late"
      : "/board";
  const params = filtersFromUrl();
  const lang = new URLSearchParams(location.search).get("lang");
  if (lang) params.set("lang", lang);
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

function toast(text: string, kind: "info" | "error" = "info"): void {
  const el = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
  toasts.append(el);
  setTimeout(() => el.remove(), kind === "error" ? 8000 : 4000);
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.body.message;
  return f.t("error.generic", { reason: err instanceof Error ? err.message : String(err) });
}

const drawer = new Drawer(f, meta.viewer, {
  onClose: () => history.replaceState(null, "", pagePath()),
  onError: (err) => toast(errorText(err), "error"),
  act: (number, action) => void act(number, action),
  personName,
  departmentName,
});

function openDrawer(number: string): void {
  history.replaceState(null, "", pagePath(number));
  void drawer.open(number);
}

// ---- columns -------------------------------------------------------------------------------

function relayout(): void {
  if (view !== "board") return;
  const groups: Record<Status, Tile[]> = { pending: [], in_progress: [], resolved: [] };
  for (const t of tiles.values()) groups[t.status].push(t);
  groups.pending.sort(byUrgency);
  groups.in_progress.sort(byUrgency);
  groups.resolved.sort(byResolvedDesc);
  for (const s of STATUSES) {
    lanes[s].set(groups[s]);
    counts[s].textContent = f.t("column.count", { n: groups[s].length });
  }
}

function upsert(list: readonly Tile[], remove: readonly string[] = []): void {
  for (const n of remove) tiles.delete(n);
  for (const t of list) tiles.set(t.number, t);
  relayout();
}

async function load(): Promise<void> {
  if (view === "late") return loadLate();
  const qs = filtersFromUrl().toString();
  const data = await api<{ now: string; columns: Record<Status, Tile[]> }>(
    "GET",
    `/api/v1/board${qs ? `?${qs}` : ""}`,
  );
  nowOffset = Date.parse(data.now) - Date.now();
  tiles.clear();
  upsert(STATUSES.flatMap((s) => data.columns[s]));
  document.getElementById("app")!.setAttribute("aria-busy", "false");
}

async function loadLate(): Promise<void> {
  const data = await api<{ now: string; items: Tile[] }>("GET", "/api/v1/board/late");
  nowOffset = Date.parse(data.now) - Date.now();
  if (!lateBody) return;
  lateBody.replaceChildren(
    ...data.items.map((t) =>
      h(
        "tr",
        { "data-number": t.number, class: `sla-${t.sla.state}` },
        h(
          "td",
          {},
          h("button", { type: "button", class: "link", onclick: () => openDrawer(t.number) }, t.number),
        ),
        h("td", {}, t.title),
        h("td", {}, t.departmentName),
        h("td", {}, t.ownerName ?? f.t("tile.unassigned")),
        h(
          "td",
          {},
          h(
            "span",
            { class: `sla sla-${t.sla.state}` },
            t.sla.state === "overdue" ? "⚠ " : "◔ ",
            f.sla(t.sla),
          ),
        ),
        h("td", {}, t.escalation ? f.t("late.level", { n: t.escalation }) : "—"),
      ),
    ),
  );
  const empty = document.getElementById("late-empty");
  if (empty) empty.hidden = data.items.length > 0;
  document.getElementById("app")!.setAttribute("aria-busy", "false");
}

// ---- commands ------------------------------------------------------------------------------

async function refreshTile(number: string): Promise<void> {
  try {
    const tile = await api<Tile>("GET", `/api/v1/board/tiles/${encodeURIComponent(number)}`);
    upsert([tile]);
  } catch {
    upsert([], [number]);
  }
}

function conflictText(number: string, err: ApiError): string {
  const changes = (err.body.details?.changes ?? []) as { name: string; change: string }[];
  const who = [...new Set(changes.map((c) => c.name))].join(", ") || "?";
  const what = changes.map((c) => c.change).join(", ");
  return f.t("move.conflict", { number, who, what });
}

async function run(
  number: string,
  command: string,
  body: Record<string, unknown>,
  done?: string,
): Promise<boolean> {
  const tile = tiles.get(number);
  busy.add(number);
  try {
    await api("POST", `/api/v1/tickets/${encodeURIComponent(number)}/${command}`, body);
    await refreshTile(number);
    if (done) toast(done);
    if (drawer.number === number) await drawer.refresh();
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      await refreshTile(number);
      toast(conflictText(number, err), "error");
    } else {
      if (tile) upsert([tile]);
      if (err instanceof ApiError && err.status === 429) await refreshTile(number);
      toast(command === "nudge" ? errorText(err) : f.t("move.refused", { reason: errorText(err) }), "error");
    }
    return false;
  } finally {
    busy.delete(number);
  }
}

/** Drag, keyboard or menu: the same move, with the same questions the card asks. */
async function move(number: string, to: Status): Promise<void> {
  const tile = tiles.get(number);
  if (!tile || tile.status === to || busy.has(number)) return;
  const command = moveCommand(tile.status, to);
  if (!command) {
    toast(f.t("move.notAllowed", { from: f.status(tile.status), to: f.status(to) }), "error");
    focusTile(number);
    return;
  }
  const body: Record<string, unknown> = { version: tile.version };
  if (command === "resolve") {
    const solution = await askText(f, `${f.t("action.resolve")} · ${number}`, f.t("prompt.solution"));
    if (!solution) return focusTile(number);
    body.solution = solution;
  }
  if (command === "reopen") {
    const reason = await askText(f, `${f.t("action.reopen")} · ${number}`, f.t("prompt.reason"));
    if (!reason) return focusTile(number);
    body.reason = reason;
  }
  upsert([{ ...tile, status: to }]);
  await run(number, command, body, f.t("move.done", { number, column: f.status(to) }));
  focusTile(number);
}

async function act(number: string, action: string): Promise<void> {
  const tile = tiles.get(number);
  if (action === "start") return move(number, "in_progress");
  if (action === "resolve") return move(number, "resolved");
  if (action === "reopen") return move(number, "in_progress");
  if (!tile) return;
  if (action === "claim") {
    await run(
      number,
      "claim",
      { version: tile.version },
      f.t("move.done", { number, column: f.status(tile.status) }),
    );
  } else if (action === "nudge") {
    if (!tile.actions.includes("nudge")) return toast(f.t("nudge.own"), "error");
    if (nudgeWaiting(tile, now()))
      return toast(f.t("nudge.wait", { at: f.time(tile.nudges.nextAt) }), "error");
    await run(number, "nudge", {}, f.t("nudge.sent", { owner: tile.ownerName ?? "" }));
  } else if (action === "move") {
    const options = STATUSES.filter((s) => s !== tile.status && moveCommand(tile.status, s)).map((s) => ({
      value: s,
      label: f.t("action.moveTo", { column: f.status(s) }),
    }));
    const to = await choose(`${f.t("action.move")} · ${number}`, options, f.t("action.cancel"));
    if (to) await move(number, to as Status);
    else focusTile(number);
  }
}

// ---- keyboard and pointer ------------------------------------------------------------------

function focusTile(number: string): void {
  const tile = tiles.get(number);
  if (!tile || view !== "board") return;
  const lane = lanes[tile.status];
  lane.reveal(lane.indexOf(number))?.focus();
}

function focusAt(status: Status, index: number): void {
  const lane = lanes[status];
  const i = Math.max(0, Math.min(lane.items.length - 1, index));
  lane.reveal(i)?.focus();
}

const KEYS: Record<string, string> = {
  s: "start",
  r: "resolve",
  o: "reopen",
  c: "claim",
  n: "nudge",
  m: "move",
};

function onTileKey(e: KeyboardEvent, el: HTMLElement): void {
  const number = el.dataset.number!;
  const status = el.dataset.status as Status;
  const index = lanes[status].indexOf(number);
  const col = STATUSES.indexOf(status);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.target !== el && (key === "Enter" || key === " ")) return;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (key === "ArrowDown") focusAt(status, index + 1);
  else if (key === "ArrowUp") focusAt(status, index - 1);
  else if (key === "Home") focusAt(status, 0);
  else if (key === "End") focusAt(status, Number.MAX_SAFE_INTEGER);
  else if (key === "ArrowRight" || key === "ArrowLeft") {
    const next = STATUSES[col + (key === "ArrowRight" ? 1 : -1)];
    if (next && lanes[next].items.length) focusAt(next, index);
  } else if (key === "Enter" || key === " ") openDrawer(number);
  else if (KEYS[key]) void act(number, KEYS[key]!);
  else return;
  e.preventDefault();
}

function wireLane(lane: Lane, status: Status): void {
  const el = lane.el;
  el.addEventListener("click", (e) => {
    const target = e.target as HTMLElement;
    const tileEl = target.closest<HTMLElement>(".tile");
    if (!tileEl) return;
    const action = target.closest<HTMLElement>("[data-action]")?.dataset.action;
    if (action) void act(tileEl.dataset.number!, action);
    else openDrawer(tileEl.dataset.number!);
  });
  el.addEventListener("keydown", (e) => {
    const tileEl = (e.target as HTMLElement).closest<HTMLElement>(".tile");
    if (tileEl) onTileKey(e, tileEl);
  });
  el.addEventListener("dragstart", (e) => {
    const tileEl = (e.target as HTMLElement).closest<HTMLElement>(".tile");
    if (!tileEl || !e.dataTransfer) return;
    e.dataTransfer.setData("text/plain", tileEl.dataset.number!);
    e.dataTransfer.effectAllowed = "move";
    tileEl.classList.add("dragging");
  });
  el.addEventListener("dragend", (e) => (e.target as HTMLElement).classList?.remove("dragging"));
  const column = el.closest<HTMLElement>(".column") ?? el;
  column.addEventListener("dragover", (e) => {
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = "move";
    column.classList.add("drop");
  });
  column.addEventListener("dragleave", () => column.classList.remove("drop"));
  column.addEventListener("drop", (e) => {
    e.preventDefault();
    column.classList.remove("drop");
    const number = e.dataTransfer?.getData("text/plain");
    if (number) void move(number, status);
  });
}

// ---- live ----------------------------------------------------------------------------------

let lateTimer = 0;
function connect(): void {
  source?.close();
  const qs = filtersFromUrl().toString();
  source = new EventSource(`/api/v1/board/events${qs ? `?${qs}` : ""}`, { withCredentials: true });
  let lost = false;
  source.addEventListener("hello", (e) => {
    const hello = JSON.parse((e as MessageEvent).data) as { viewer: string };
    if (hello.viewer !== meta.viewer.id) location.reload();
    liveEl.dataset.state = "on";
    liveEl.textContent = `● ${f.t("live.on")}`;
    if (lost) void load().catch(() => {});
    lost = false;
  });
  source.addEventListener("tiles", (e) => {
    const data = JSON.parse((e as MessageEvent).data) as { upsert: Tile[]; remove: string[] };
    if (view === "late") {
      clearTimeout(lateTimer);
      lateTimer = window.setTimeout(() => void loadLate().catch(() => {}), 200);
    } else
      upsert(
        data.upsert.filter((t) => !busy.has(t.number)),
        data.remove,
      );
    const open = drawer.number;
    if (open && [...data.upsert.map((t) => t.number), ...data.remove].includes(open)) void drawer.refresh();
  });
  source.addEventListener("error", () => {
    lost = true;
    liveEl.dataset.state = "off";
    liveEl.textContent = `○ ${f.t("live.off")}`;
  });
}

// ---- page ----------------------------------------------------------------------------------

function select(
  name: string,
  labelText: string,
  options: { value: string; label: string }[],
  value: string | null,
): HTMLElement {
  const id = `filter-${name}`;
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, labelText),
    h(
      "select",
      { id, name },
      h("option", { value: "" }, f.t("filter.all")),
      options.map((o) => h("option", { value: o.value, selected: o.value === value }, o.label)),
    ),
  );
}

function filterForm(): HTMLElement {
  const p = filtersFromUrl();
  const check = (name: string, text: string) =>
    h(
      "div",
      { class: "field check" },
      h("input", {
        type: "checkbox",
        id: `filter-${name}`,
        name,
        value: "1",
        checked: p.get(name) === "1" || p.get(name) === "true",
      }),
      h("label", { for: `filter-${name}` }, text),
    );
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": f.t("filter.label") },
    h(
      "div",
      { class: "field search" },
      h("label", { for: "filter-q", class: "sr-only" }, f.t("filter.q")),
      h("input", {
        type: "search",
        id: "filter-q",
        name: "q",
        value: p.get("q") ?? "",
        placeholder: f.t("filter.q"),
        maxlength: 200,
      }),
    ),
    select(
      "department",
      f.t("filter.department"),
      meta.departments.map((d) => ({ value: d.id, label: d.name })),
      p.get("department"),
    ),
    select(
      "owner",
      f.t("filter.owner"),
      meta.people.map((x) => ({ value: x.id, label: x.name })),
      p.get("owner"),
    ),
    select(
      "priority",
      f.t("filter.priority"),
      ["urgent", "normal", "low"].map((x) => ({ value: x, label: f.priority(x) })),
      p.get("priority"),
    ),
    select(
      "type",
      f.t("filter.type"),
      meta.problemTypes.map((x) => ({ value: x, label: f.problemType(x) })),
      p.get("type"),
    ),
    check("overdue", f.t("filter.overdue")),
    check("mine", f.t("filter.mine")),
    h("button", { type: "reset", class: "secondary" }, f.t("filter.clear")),
    h("button", { type: "button", class: "secondary", "data-copy": "" }, f.t("filter.copy")),
    exportButton(f, meta, {
      department: () => filtersFromUrl().get("department") ?? "",
      onError: (err) => toast(errorText(err), "error"),
      onDone: (text) => toast(text),
    }),
  ) as HTMLFormElement;
  let typing = 0;
  const apply = () => {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === "string" && v.trim()) params.set(k, v.trim());
    const lang = new URLSearchParams(location.search).get("lang");
    if (lang) params.set("lang", lang);
    const qs = params.toString();
    const base = drawer.number
      ? `/board/tickets/${encodeURIComponent(drawer.number)}`
      : view === "late"
        ? "/board/late"
        : "/board";
    history.replaceState(null, "", qs ? `${base}?${qs}` : base);
    void load().catch((err) => toast(errorText(err), "error"));
    connect();
  };
  form.addEventListener("change", apply);
  form.addEventListener("input", (e) => {
    if ((e.target as HTMLElement).id !== "filter-q") return;
    clearTimeout(typing);
    typing = window.setTimeout(apply, 250);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    apply();
  });
  form.addEventListener("reset", () => setTimeout(apply));
  form.querySelector("[data-copy]")!.addEventListener("click", () => {
    const url = new URL(pagePath(), location.href).href;
    navigator.clipboard?.writeText(url).then(
      () => toast(f.t("filter.copied")),
      () => toast(url),
    );
  });
  return form;
}

function header(): HTMLElement {
  const link = (href: string, text: string, current: boolean) =>
    h("a", { href, "aria-current": current ? "page" : undefined }, text);
  const hostNote = host.context?.team ? ` · ${host.context.team}` : "";
  liveEl = h("span", { class: "live", role: "status", "data-state": "connecting" }, "…");
  return h(
    "header",
    { class: "top" },
    h("h1", {}, f.t("app.title")),
    h(
      "nav",
      { "aria-label": f.t("app.title") },
      link("/board", f.t("nav.board"), view === "board"),
      link("/board/late", f.t("nav.late"), view === "late"),
      link("/board/stats", f.t("nav.stats"), false),
      link("/board/kb", f.t("nav.kb"), false),
      meta.viewer.heads.length ? link("/board/review", f.t("nav.review"), false) : null,
    ),
    h(
      "span",
      { class: "who", "data-host": host.host },
      f.t("nav.signedInAs", { name: meta.viewer.name }),
      hostNote,
    ),
    liveEl,
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        onclick: () =>
          void api("POST", "/board/session/end", {}).finally(() => location.assign("/board/sign-in")),
      },
      f.t("nav.signOut"),
    ),
  );
}

function boardMain(): HTMLElement {
  const columns = STATUSES.map((s) => {
    const lane = new Lane(f.status(s), (tile, i, size) => renderTile(tile, f, now(), i, size));
    const count = h("span", { class: "count" });
    const col = h(
      "section",
      { class: `column col-${s}`, "data-status": s, "aria-labelledby": `col-${s}` },
      h(
        "h2",
        { id: `col-${s}` },
        f.status(s),
        " ",
        count,
        s === "resolved" ? h("small", { class: "hint" }, f.t("column.resolvedHint")) : null,
      ),
      lane.el,
    );
    return { s, lane, count, col };
  });
  lanes = Object.fromEntries(columns.map((c) => [c.s, c.lane])) as Record<Status, Lane>;
  counts = Object.fromEntries(columns.map((c) => [c.s, c.count])) as Record<Status, HTMLElement>;
  for (const c of columns) wireLane(c.lane, c.s);
  return h(
    "main",
    { class: "board", id: "main" },
    columns.map((c) => c.col),
  );
}

function lateMain(): HTMLElement {
  const isHead = meta.viewer.heads.length > 0;
  lateBody = h("tbody");
  return h(
    "main",
    { class: "late", id: "main" },
    h("h2", {}, f.t("late.title")),
    isHead
      ? h(
          "table",
          {},
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              [
                f.t("drawer.title", { number: "" }).trim(),
                f.t("drawer.description"),
                f.t("drawer.department"),
                f.t("drawer.owner"),
                "SLA",
                f.t("drawer.escalation"),
              ].map((x) => h("th", { scope: "col" }, x)),
            ),
          ),
          lateBody,
        )
      : h("p", {}, f.t("late.notHead")),
    h("p", { id: "late-empty", hidden: true }, f.t("late.empty")),
  );
}

function mount(): void {
  const app = document.getElementById("app")!;
  document.documentElement.lang = f.locale;
  document.title = `${f.t(view === "late" ? "nav.late" : "app.title")} · closeloop`;
  toasts = h("div", { class: "toasts", "aria-live": "polite" });
  app.replaceChildren(
    header(),
    view === "board" ? filterForm() : h("div"),
    view === "board" ? boardMain() : lateMain(),
    h("details", { class: "keys" }, h("summary", {}, f.t("keys.title")), h("p", {}, f.t("keys.help"))),
    toasts,
  );
  document.body.append(drawer.el);
}

function switchLocale(locale: Locale): void {
  if (locale === f.locale) return;
  f = formatter(locale, meta.timeZone);
  drawer.setFormatter(f);
  mount();
  relayout();
  if (view === "late") void loadLate().catch(() => {});
  liveEl.dataset.state = "on";
  liveEl.textContent = `● ${f.t("live.on")}`;
}

document.addEventListener("keydown", (e) => {
  const target = e.target as HTMLElement;
  const typing = target.closest("input, textarea, select, dialog");
  if (e.key === "/" && !typing) {
    e.preventDefault();
    (document.getElementById("filter-q") as HTMLInputElement | null)?.focus();
  } else if (e.key === "Escape" && drawer.number && !target.closest("dialog")) drawer.close();
});

mount();
document.documentElement.dataset.ready = "false";
const first = load()
  .then(() => {
    document.documentElement.dataset.ready = "true";
    if (meta.open) openDrawer(meta.open);
  })
  .catch((err) => toast(errorText(err), "error"));
connect();
setInterval(() => void load().catch(() => {}), REFRESH_MS);

const explicitLang = new URLSearchParams(location.search).has("lang");
detectHost(meta.hostOrigins).then((info) => {
  host = info;
  document.documentElement.dataset.host = info.host;
  applyTheme(info.theme);
  info.onThemeChange?.((theme) => applyTheme(theme));
  if (info.locale && !explicitLang) void first.then(() => switchLocale(info.locale!));
  const who = document.querySelector(".who");
  if (who) {
    who.setAttribute("data-host", info.host);
    if (info.context?.team) who.append(` · ${info.context.team}`);
  }
});
