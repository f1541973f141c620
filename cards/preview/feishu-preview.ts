import type { FeishuElement } from "../render/feishu/types.ts";
import type { FeishuCard } from "../render/feishu.ts";
import { chip, esc, type Names, previewMarkdown } from "./html.ts";

const COLORS: Readonly<Record<string, string>> = {
  blue: "#3370ff",
  wathet: "#4ea7fc",
  turquoise: "#14c0ff",
  green: "#34c724",
  yellow: "#ffc60a",
  orange: "#ff8800",
  red: "#f54a45",
  carmine: "#d83931",
  violet: "#b36ae2",
  purple: "#7f3bf5",
  indigo: "#4954e6",
  grey: "#8f959e",
  default: "#f5f6f7",
  neutral: "#8f959e",
};

function element(e: FeishuElement, names: Names): string {
  switch (e.tag) {
    case "markdown":
      return `<div class="md">${previewMarkdown(e.content, (s) =>
        s.replace(/&lt;at id=([\w-]+)&gt;&lt;\/at&gt;/g, (_m, id: string) => chip(esc(names(id) ?? id))),
      )}</div>`;
    case "hr":
      return "<hr>";
    case "column_set":
      return `<div class="row">${e.columns.map((c) => `<div>${c.elements.map((x) => element(x, names)).join("")}</div>`).join("")}</div>`;
    case "button": {
      const link = e.behaviors.find((b) => b.type === "open_url");
      const title = link && link.type === "open_url" ? ` title="${esc(link.default_url)}"` : "";
      return `<button class="btn ${e.type}"${title}>${esc(e.text.content)}${link ? " ↗" : ""}</button>`;
    }
    case "form":
      return `<form class="form" onsubmit="return false">${e.elements.map((x) => element(x, names)).join("")}</form>`;
    case "input":
      return e.input_type === "multiline_text"
        ? `<textarea placeholder="${esc(e.placeholder?.content ?? "")}">${esc(e.default_value ?? "")}</textarea>`
        : `<input placeholder="${esc(e.placeholder?.content ?? "")}" value="${esc(e.default_value ?? "")}">`;
    case "select_static":
      return `<select>${e.placeholder ? `<option>${esc(e.placeholder.content)}</option>` : ""}${e.options
        .map(
          (o) => `<option${o.value === e.initial_option ? " selected" : ""}>${esc(o.text.content)}</option>`,
        )
        .join("")}</select>`;
  }
}

/** A Feishu card 2.0 as a page fragment that looks like the client's rendering of it. */
export function feishuPreview(card: FeishuCard, names: Names): string {
  const h = card.header;
  const tags = (h.text_tag_list ?? [])
    .map((t) => `<span class="tag" style="--c:${COLORS[t.color] ?? "#8f959e"}">${esc(t.text.content)}</span>`)
    .join("");
  return `<div class="card feishu">
<div class="head" style="--h:${COLORS[h.template] ?? "#3370ff"}"><div class="title">${esc(h.title.content)}</div>${
    h.subtitle ? `<div class="sub">${esc(h.subtitle.content)}</div>` : ""
  }${tags ? `<div class="tags">${tags}</div>` : ""}</div>
<div class="body">${card.body.elements.map((e) => element(e, names)).join("")}</div></div>`;
}
