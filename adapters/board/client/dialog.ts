/// <reference lib="dom" />
import { h } from "./dom.ts";
import type { Fmt } from "./format.ts";

/** Asks for a required text (a solution, a reason) in a modal dialog; undefined when cancelled. */
export function askText(f: Fmt, title: string, fieldLabel: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const input = h("textarea", {
      id: "ask-text",
      name: "text",
      required: true,
      rows: 4,
      maxlength: 4000,
    }) as HTMLTextAreaElement;
    const dialog = h(
      "dialog",
      { class: "ask", "aria-labelledby": "ask-title" },
      h(
        "form",
        { method: "dialog" },
        h("h2", { id: "ask-title" }, title),
        h("label", { for: "ask-text" }, fieldLabel),
        input,
        h(
          "div",
          { class: "buttons" },
          h(
            "button",
            { type: "button", value: "cancel", class: "secondary", "data-cancel": "" },
            f.t("action.cancel"),
          ),
          h("button", { type: "submit", value: "ok", class: "primary" }, f.t("action.submit")),
        ),
      ),
    ) as HTMLDialogElement;
    let answer: string | undefined;
    dialog.querySelector("form")!.addEventListener("submit", (e) => {
      const text = input.value.trim();
      if (!text) {
        e.preventDefault();
        input.focus();
        return;
      }
      answer = text;
    });
    dialog.querySelector("[data-cancel]")!.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

/** Picks one of several options (the move menu, an assignee); undefined when cancelled. */
export function choose(
  title: string,
  options: { value: string; label: string }[],
  cancel: string,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    let answer: string | undefined;
    const dialog = h(
      "dialog",
      { class: "ask", "aria-labelledby": "choose-title" },
      h("h2", { id: "choose-title" }, title),
      h(
        "div",
        { class: "choices", role: "group", "aria-labelledby": "choose-title" },
        options.map((o) =>
          h(
            "button",
            {
              type: "button",
              class: "choice",
              onclick: () => {
                answer = o.value;
                dialog.close();
              },
            },
            o.label,
          ),
        ),
      ),
      h(
        "div",
        { class: "buttons" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, cancel),
      ),
    ) as HTMLDialogElement;
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    (dialog.querySelector(".choice") as HTMLElement | null)?.focus();
  });
}
