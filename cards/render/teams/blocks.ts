import type { Locale } from "../../../core/i18n/locale.ts";
import { t } from "../../i18n/index.ts";
import type { CallbackValue } from "../../model/actions.ts";
import type { Block, Button, Form, Input, Tone } from "../../model/types.ts";
import { inertMarkdown, inertPlain, safeUrl } from "../../text/markup.ts";
import type { TeamsText } from "./text.ts";
import type { TeamsElement } from "./types.ts";

export const CONTAINER_STYLE: Readonly<Record<Tone, string>> = {
  red: "attention",
  orange: "warning",
  blue: "accent",
  green: "good",
  grey: "emphasis",
};

export const TEXT_COLOR: Readonly<Record<Tone, string>> = {
  red: "attention",
  orange: "warning",
  blue: "accent",
  green: "good",
  grey: "default",
};

const textBlock = (text: string, extra: Record<string, unknown> = {}): TeamsElement => ({
  type: "TextBlock",
  text,
  wrap: true,
  ...extra,
});

/**
 * The Adaptive Cards library's default host config allows 5 actions in a set (Teams' own 6) and moves the
 * rest to an overflow menu: more buttons go on balanced rows instead, 6 as 3 + 3, all in sight.
 */
export const MAX_ACTIONS_PER_SET = 5;

export function actionRows<T>(actions: readonly T[]): T[][] {
  if (actions.length === 0) return [];
  const rows = Math.ceil(actions.length / MAX_ACTIONS_PER_SET);
  const width = Math.ceil(actions.length / rows);
  const out: T[][] = [];
  for (let i = 0; i < actions.length; i += width) out.push(actions.slice(i, i + width));
  return out;
}

function input(i: Input, locale: Locale): TeamsElement {
  const common = {
    id: i.name,
    label: inertPlain(i.label),
    isRequired: i.required,
    ...(i.required ? { errorMessage: t(locale, "form.required") } : {}),
    ...(i.placeholder ? { placeholder: inertPlain(i.placeholder) } : {}),
    ...(i.value !== undefined ? { value: i.value } : {}),
  };
  if (i.kind === "select")
    return {
      type: "Input.ChoiceSet",
      ...common,
      style: "compact",
      choices: (i.options ?? []).map((o) => ({ title: inertPlain(o.text), value: o.value })),
    };
  return {
    type: "Input.Text",
    ...common,
    ...(i.kind === "multiline" ? { isMultiline: true } : {}),
    ...(i.maxLength !== undefined ? { maxLength: i.maxLength } : {}),
  };
}

function execute(id: string, title: string, value: CallbackValue): TeamsElement {
  const data = { ...value };
  return {
    type: "Action.Execute",
    id,
    title: inertPlain(title),
    verb: value.action,
    data,
    // Clients without Universal Actions post the same data as a message instead.
    fallback: { type: "Action.Submit", title: inertPlain(title), data },
  };
}

function formBody(f: Form, locale: Locale): TeamsElement[] {
  return f.inputs.map((i) => input(i, locale));
}

function action(b: Button, locale: Locale): TeamsElement | undefined {
  switch (b.does.kind) {
    case "callback":
      return execute(b.id, b.text, b.does.value);
    case "link": {
      const url = safeUrl(b.does.url);
      return url ? { type: "Action.OpenUrl", id: b.id, title: inertPlain(b.text), url } : undefined;
    }
    case "form": {
      // Teams opens the form in place: no round trip, so the `form: "open"` value is not needed.
      const f = b.does.form;
      return {
        type: "Action.ShowCard",
        id: b.id,
        title: inertPlain(b.text),
        card: {
          type: "AdaptiveCard",
          body: [textBlock(`**${inertMarkdown(f.title)}**`), ...formBody(f, locale)],
          actions: [execute(`${f.id}_submit`, f.submit.text, f.submit.value)],
        },
      };
    }
  }
}

export function block(b: Block, locale: Locale, text: TeamsText): TeamsElement[] {
  switch (b.kind) {
    case "fields":
      return [
        {
          type: "FactSet",
          facts: b.fields.map((f) => ({ title: inertMarkdown(f.label), value: text.markdown(f.value) })),
        },
      ];
    case "text": {
      const style =
        b.style === "muted" ? { isSubtle: true } : b.style === "attention" ? { color: "attention" } : {};
      const out: TeamsElement[] = [];
      if (b.title) out.push(textBlock(inertMarkdown(b.title), { weight: "Bolder", spacing: "Medium" }));
      out.push(textBlock(text.markdown(b.content), { ...style, ...(b.title ? { spacing: "Small" } : {}) }));
      return out;
    }
    case "timeline": {
      const items: TeamsElement[] = [textBlock(inertMarkdown(b.title), { weight: "Bolder" })];
      for (const e of b.entries)
        items.push(
          textBlock(`${inertMarkdown(e.at)}  ${text.markdown(e.content)}`, {
            size: "Small",
            spacing: "Small",
          }),
        );
      if (b.omitted > 0)
        items.push(
          textBlock(inertMarkdown(t(locale, "timeline.omitted", { n: b.omitted })), {
            size: "Small",
            isSubtle: true,
          }),
        );
      return [{ type: "Container", items }];
    }
    case "divider":
      return [];
    case "actions": {
      const actions = b.buttons
        .map((x) => action(x, locale))
        .filter((x): x is TeamsElement => x !== undefined);
      return actionRows(actions).map((row) => ({ type: "ActionSet", actions: row }));
    }
    case "form": {
      const f = b.form;
      return [
        {
          type: "Container",
          separator: true,
          items: [
            textBlock(`**${inertMarkdown(f.title)}**`),
            ...formBody(f, locale),
            { type: "ActionSet", actions: [execute(`${f.id}_submit`, f.submit.text, f.submit.value)] },
          ],
        },
      ];
    }
  }
}
