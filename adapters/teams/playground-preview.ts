import { chip, esc, previewMarkdown } from "../../cards/preview/html.ts";
import type { PlaygroundButton, PlaygroundForm } from "../playground/types.ts";

type El = Record<string, unknown> & { type?: string };

/**
 * A Teams Adaptive Card as playground HTML: the elements closeloop's renderer uses (containers, columns,
 * text, facts, Action.Execute / OpenUrl / ShowCard with inputs), with `button.btn`s and `<form>`s in the
 * order the playground page wires them. A preview drawn here, not by the official renderer.
 */
export function teamsCardHtml(card: El): {
  html: string;
  buttons: PlaygroundButton[];
  forms: PlaygroundForm[];
} {
  const buttons: PlaygroundButton[] = [];
  const forms: PlaygroundForm[] = [];
  const md = (text: unknown) =>
    previewMarkdown(String(text ?? ""), (s) =>
      s.replace(/&lt;at&gt;(.*?)&lt;\/at&gt;/g, (_, name: string) => chip(name)),
    );
  const list = (v: unknown): El[] => (Array.isArray(v) ? (v as El[]) : []);

  const action = (a: El, form?: number): string => {
    const title = esc(String(a.title ?? ""));
    switch (a.type) {
      case "Action.Execute":
        buttons.push({
          value: (a.data ?? {}) as Record<string, unknown>,
          ...(form !== undefined ? { form } : {}),
        });
        return `<button class="btn">${title}</button>`;
      case "Action.OpenUrl":
        buttons.push({ url: String(a.url ?? "") });
        return `<button class="btn">${title}</button>`;
      case "Action.ShowCard": {
        const index = forms.length;
        const fields: { name: string; options?: string[]; placeholder?: boolean }[] = [];
        forms.push({ fields });
        const inner = a.card as El | undefined;
        const parts: string[] = [];
        for (const e of list(inner?.body)) {
          if (e.type === "Input.Text") {
            fields.push({ name: String(e.id) });
            const label = e.label ? `<label>${esc(String(e.label))}</label>` : "";
            parts.push(`${label}${e.isMultiline ? "<textarea></textarea>" : '<input type="text">'}`);
          } else if (e.type === "Input.ChoiceSet") {
            const choices = list(e.choices);
            fields.push({
              name: String(e.id),
              options: choices.map((c) => String(c.value)),
              placeholder: true,
            });
            const label = e.label ? `<label>${esc(String(e.label))}</label>` : "";
            const options = choices.map((c) => `<option>${esc(String(c.title))}</option>`).join("");
            parts.push(`${label}<select><option value="">—</option>${options}</select>`);
          } else if (e.type === "ActionSet") {
            parts.push(
              `<div class="row">${list(e.actions)
                .map((x) => action(x, index))
                .join("")}</div>`,
            );
          } else parts.push(element(e));
        }
        return `<details><summary>${title}</summary><form class="form">${parts.join("")}</form></details>`;
      }
      default:
        return "";
    }
  };

  const element = (e: El): string => {
    switch (e.type) {
      case "Container":
        return `<div>${list(e.items).map(element).join("")}</div>`;
      case "ColumnSet":
        return `<div class="row">${list(e.columns)
          .map((c) => `<div>${list(c.items).map(element).join("")}</div>`)
          .join("")}</div>`;
      case "TextBlock": {
        const html = md(e.text);
        return `<div class="md"${e.weight === "Bolder" ? ' style="font-weight:600"' : ""}>${html}</div>`;
      }
      case "FactSet":
        return `<table>${list(e.facts)
          .map(
            (f) =>
              `<tr><td style="color:#646a73;padding-right:8px">${esc(String(f.title))}</td><td>${md(f.value)}</td></tr>`,
          )
          .join("")}</table>`;
      case "ActionSet":
        return `<div class="row">${list(e.actions)
          .map((a) => action(a))
          .join("")}</div>`;
      default:
        return "";
    }
  };

  const body = list(card.body).map(element).join("");
  const actions = list(card.actions).length
    ? `<div class="row">${list(card.actions)
        .map((a) => action(a))
        .join("")}</div>`
    : "";
  return { html: `<div class="card teams"><div class="body">${body}${actions}</div></div>`, buttons, forms };
}
