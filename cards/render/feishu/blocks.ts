import type { Locale } from "../../../core/i18n/locale.ts";
import { t } from "../../i18n/index.ts";
import type { Block, Button, Form, Input } from "../../model/types.ts";
import { inertMarkdown, safeUrl } from "../../text/markup.ts";
import { markdown, plain } from "./text.ts";
import type { FeishuBehavior, FeishuButton, FeishuElement } from "./types.ts";

const colon = (locale: Locale) => (locale === "zh-CN" ? "：" : ": ");

function behaviorOf(button: Button): FeishuBehavior[] {
  switch (button.does.kind) {
    case "callback":
    case "form":
      return [{ type: "callback", value: { ...button.does.value } }];
    case "link": {
      const url = safeUrl(button.does.url);
      return url ? [{ type: "open_url", default_url: url }] : [];
    }
  }
}

export function button(b: Button): FeishuButton {
  return { tag: "button", text: plain(b.text), type: b.style, behaviors: behaviorOf(b) };
}

function input(i: Input): FeishuElement {
  const placeholder = i.placeholder ? { placeholder: plain(i.placeholder) } : {};
  if (i.kind === "select") {
    const initial =
      i.value !== undefined && i.options?.some((o) => o.value === i.value) ? { initial_option: i.value } : {};
    return {
      tag: "select_static",
      name: i.name,
      required: i.required,
      ...placeholder,
      ...initial,
      options: (i.options ?? []).map((o) => ({ text: plain(o.text), value: o.value })),
    };
  }
  return {
    tag: "input",
    name: i.name,
    required: i.required,
    ...placeholder,
    ...(i.value !== undefined ? { default_value: i.value } : {}),
    ...(i.maxLength !== undefined ? { max_length: Math.min(i.maxLength, 1000) } : {}),
    ...(i.kind === "multiline" ? { input_type: "multiline_text" as const } : {}),
  };
}

function form(f: Form): FeishuElement {
  const elements: FeishuElement[] = [{ tag: "markdown", content: `**${inertMarkdown(f.title)}**` }];
  for (const i of f.inputs) {
    elements.push({ tag: "markdown", content: `${inertMarkdown(i.label)}${i.required ? " ＊" : ""}` });
    elements.push(input(i));
  }
  elements.push({
    tag: "button",
    name: "submit",
    form_action_type: "submit",
    text: plain(f.submit.text),
    type: f.submit.style,
    behaviors: [{ type: "callback", value: { ...f.submit.value } }],
  });
  return { tag: "form", name: f.id, elements };
}

export function block(b: Block, locale: Locale): FeishuElement[] {
  switch (b.kind) {
    case "fields":
      return [
        {
          tag: "markdown",
          content: b.fields
            .map((f) => `**${inertMarkdown(f.label)}**${colon(locale)}${markdown(f.value)}`)
            .join("\n"),
        },
      ];
    case "text": {
      const title = b.title ? `**${inertMarkdown(b.title)}**\n` : "";
      return [{ tag: "markdown", content: `${title}${markdown(b.content)}` }];
    }
    case "timeline": {
      const lines = b.entries.map((e) => `${inertMarkdown(e.at)}  ${markdown(e.content)}`);
      if (b.omitted > 0) lines.push(inertMarkdown(t(locale, "timeline.omitted", { n: b.omitted })));
      return [{ tag: "markdown", content: `**${inertMarkdown(b.title)}**\n${lines.join("\n")}` }];
    }
    case "divider":
      return [{ tag: "hr" }];
    case "actions":
      return [
        {
          tag: "column_set",
          flex_mode: "flow",
          columns: b.buttons.map((x) => ({ tag: "column", width: "auto", elements: [button(x)] })),
        },
      ];
    case "form":
      return [form(b.form)];
  }
}
