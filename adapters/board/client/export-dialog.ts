/// <reference lib="dom" />
import { ApiError } from "./api.ts";
import { h } from "./dom.ts";
import type { Fmt } from "./format.ts";
import type { BoardMeta } from "./meta.ts";

export interface ExportHooks {
  /** The board's current department filter ("" for all). */
  readonly department: () => string;
  readonly onError: (err: unknown) => void;
  readonly onDone: (text: string) => void;
}

const today = (timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date());

/** The download, fetched so a refusal shows its message instead of being saved as a file. */
async function download(url: string, fallbackName: string): Promise<void> {
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok) {
    const body = await res.json().catch(() => undefined);
    throw new ApiError(res.status, body?.error ?? { code: "http", message: `HTTP ${res.status}` });
  }
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallbackName;
  const href = URL.createObjectURL(blob);
  const a = h("a", { href, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** The export button (only for those who may export: heads and admins) and its dialog. */
export function exportButton(f: Fmt, meta: BoardMeta, hooks: ExportHooks): HTMLElement | null {
  if (meta.viewer.heads.length === 0) return null;
  return h(
    "button",
    { type: "button", class: "secondary", "data-export": "", onclick: () => openDialog(f, meta, hooks) },
    f.t("export.button"),
  );
}

function openDialog(f: Fmt, meta: BoardMeta, hooks: ExportHooks): void {
  const end = today(meta.timeZone);
  const department = hooks.department();
  const departmentName = meta.departments.find((d) => d.id === department)?.name;
  const field = (id: string, text: string, input: HTMLElement) =>
    h("div", { class: "field" }, h("label", { for: id }, text), input);
  const select = (id: string, options: [string, string][]) =>
    h(
      "select",
      { id, name: id },
      options.map(([value, text]) => h("option", { value }, text)),
    ) as HTMLSelectElement;
  const table = select("export-table", [
    ["records", f.t("export.records")],
    ["follow-ups", f.t("export.followUps")],
  ]);
  const format = select("export-format", [
    ["xlsx", "Excel (XLSX)"],
    ["csv", "CSV"],
  ]);
  const from = h("input", { type: "date", id: "export-from", name: "from", value: `${end.slice(0, 8)}01` });
  const to = h("input", { type: "date", id: "export-to", name: "to", value: end });
  const error = h("p", { class: "export-error", role: "alert", hidden: true });
  const dialog = h(
    "dialog",
    { class: "ask export", "aria-labelledby": "export-title" },
    h(
      "form",
      { method: "dialog" },
      h("h2", { id: "export-title" }, f.t("export.title")),
      h(
        "p",
        { class: "muted" },
        f.t("export.scope", { department: departmentName ?? f.t("export.allMine") }),
      ),
      field("export-table", f.t("export.table"), table),
      field("export-format", f.t("export.format"), format),
      field("export-from", f.t("export.from"), from),
      field("export-to", f.t("export.to"), to),
      error,
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", class: "secondary", "data-cancel": "" }, f.t("action.cancel")),
        h("button", { type: "submit", class: "primary" }, f.t("export.download")),
      ),
    ),
  ) as HTMLDialogElement;
  dialog.querySelector("[data-cancel]")!.addEventListener("click", () => dialog.close());
  dialog.querySelector("form")!.addEventListener("submit", (e) => {
    e.preventDefault();
    const [a, b] = [(from as HTMLInputElement).value, (to as HTMLInputElement).value];
    if (a && b && a > b) {
      error.textContent = f.t("export.badRange");
      error.hidden = false;
      return;
    }
    const params = new URLSearchParams({ format: format.value, locale: f.locale });
    if (a) params.set("from", a);
    if (b) params.set("to", b);
    if (department) params.set("department", department);
    const url = `/api/v1/exports/${table.value}?${params}`;
    dialog.close();
    download(url, `closeloop-${table.value}.${format.value}`).then(
      () => hooks.onDone(f.t("export.done")),
      (err) => hooks.onError(err),
    );
  });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  table.focus();
}
