import type { FeishuElement } from "../../cards/render/feishu/types.ts";
import type { FeishuCard } from "../../cards/render/feishu.ts";
import type { PlaygroundButton, PlaygroundForm } from "./types.ts";

/** The buttons and form fields of a Feishu card in the order the preview draws them. */
export function feishuControls(card: FeishuCard): { buttons: PlaygroundButton[]; forms: PlaygroundForm[] } {
  const buttons: PlaygroundButton[] = [];
  const forms: PlaygroundForm[] = [];
  const walk = (e: FeishuElement, form?: number): void => {
    switch (e.tag) {
      case "column_set":
        for (const c of e.columns) for (const x of c.elements) walk(x, form);
        return;
      case "form": {
        const index = forms.length;
        const fields: { name: string; options?: string[]; placeholder?: boolean }[] = [];
        forms.push({ fields });
        for (const x of e.elements) {
          if (x.tag === "input") fields.push({ name: x.name });
          else if (x.tag === "select_static")
            fields.push({
              name: x.name,
              options: x.options.map((o) => o.value),
              placeholder: !!x.placeholder,
            });
          walk(x, index);
        }
        return;
      }
      case "button": {
        const callback = e.behaviors.find((b) => b.type === "callback");
        const link = e.behaviors.find((b) => b.type === "open_url");
        const submit = "form_action_type" in e && e.form_action_type === "submit";
        buttons.push({
          ...(callback && callback.type === "callback"
            ? { value: callback.value as Record<string, unknown> }
            : {}),
          ...(link && link.type === "open_url" ? { url: link.default_url } : {}),
          ...(submit && form !== undefined ? { form } : {}),
        });
        return;
      }
      default:
        return;
    }
  };
  for (const e of card.body.elements) walk(e);
  return { buttons, forms };
}
