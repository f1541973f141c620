import { z } from "zod";
import { callbackValueSchema } from "../model/actions.ts";
import { FEISHU_LIMITS, feishuBytes, feishuComponents } from "./feishu-limits.ts";
import { type Validation, validation, zodErrors } from "./result.ts";

/**
 * Feishu card JSON 2.0 as closeloop may send it, written from shared/platforms/feishu.md ("Cards"): unknown
 * properties are rejected (as Feishu does), no `action` element, no `i18n_elements` or `fallback`, object
 * callback values, forms at the root only with uniquely named fields and a submit button, at most 200
 * components and 30 KB.
 */

const plainText = z.object({ tag: z.literal("plain_text"), content: z.string().min(1) }).strict();
const elementId = {
  element_id: z
    .string()
    .max(FEISHU_LIMITS.elementId)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .optional(),
};
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, "expected an http(s) URL");

const behavior = z.discriminatedUnion("type", [
  z.object({ type: z.literal("callback"), value: callbackValueSchema }).strict(),
  z.object({ type: z.literal("open_url"), default_url: httpUrl }).strict(),
]);

const button = z
  .object({
    tag: z.literal("button"),
    text: plainText,
    type: z.enum([
      "default",
      "primary",
      "danger",
      "text",
      "primary_text",
      "danger_text",
      "primary_filled",
      "danger_filled",
      "laser",
    ]),
    behaviors: z.array(behavior).min(1),
    name: z.string().min(1).max(100).optional(),
    form_action_type: z.enum(["submit", "reset"]).optional(),
    ...elementId,
  })
  .strict();

const markdown = z.object({ tag: z.literal("markdown"), content: z.string().min(1), ...elementId }).strict();
const hr = z.object({ tag: z.literal("hr"), ...elementId }).strict();

const input = z
  .object({
    tag: z.literal("input"),
    name: z.string().min(1),
    required: z.boolean(),
    placeholder: plainText.optional(),
    default_value: z.string().optional(),
    max_length: z.number().int().min(1).max(FEISHU_LIMITS.inputMaxLength).optional(),
    input_type: z.enum(["text", "multiline_text", "password"]).optional(),
    ...elementId,
  })
  .strict();

const selectStatic = z
  .object({
    tag: z.literal("select_static"),
    name: z.string().min(1),
    required: z.boolean(),
    placeholder: plainText.optional(),
    initial_option: z.string().optional(),
    options: z.array(z.object({ text: plainText, value: z.string().min(1) }).strict()).min(1),
    ...elementId,
  })
  .strict()
  .refine((s) => s.initial_option === undefined || s.options.some((o) => o.value === s.initial_option), {
    message: "initial_option is not one of the options",
  });

const datePicker = z
  .object({
    tag: z.literal("date_picker"),
    name: z.string().min(1),
    required: z.boolean().optional(),
    placeholder: plainText.optional(),
    initial_date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    ...elementId,
  })
  .strict();

type Element =
  | z.infer<typeof markdown>
  | z.infer<typeof hr>
  | z.infer<typeof button>
  | z.infer<typeof input>
  | z.infer<typeof selectStatic>
  | z.infer<typeof datePicker>
  | ColumnSet
  | Form;
interface ColumnSet {
  tag: "column_set";
  flex_mode?: "none" | "stretch" | "flow" | "bisect" | "trisect";
  columns: { tag: "column"; width?: "auto" | "weighted"; weight?: number; elements: Element[] }[];
}
interface Form {
  tag: "form";
  name: string;
  elements: Element[];
}

const element: z.ZodType<Element> = z.lazy(() =>
  z.union([markdown, hr, button, input, selectStatic, datePicker, columnSet, form]),
);

const column = z
  .object({
    tag: z.literal("column"),
    width: z.enum(["auto", "weighted"]).optional(),
    weight: z.number().int().min(1).max(5).optional(),
    elements: z.array(element),
    ...elementId,
  })
  .strict();

const columnSet = z
  .object({
    tag: z.literal("column_set"),
    flex_mode: z.enum(["none", "stretch", "flow", "bisect", "trisect"]).optional(),
    columns: z.array(column).min(1),
    ...elementId,
  })
  .strict();

const form = z
  .object({
    tag: z.literal("form"),
    name: z.string().min(1),
    elements: z.array(element).min(1),
    ...elementId,
  })
  .strict();

const header = z
  .object({
    title: plainText,
    subtitle: plainText.optional(),
    template: z.enum([
      "blue",
      "wathet",
      "turquoise",
      "green",
      "yellow",
      "orange",
      "red",
      "carmine",
      "violet",
      "purple",
      "indigo",
      "grey",
      "default",
    ]),
    text_tag_list: z
      .array(
        z
          .object({
            tag: z.literal("text_tag"),
            text: plainText,
            color: z.enum([
              "neutral",
              "blue",
              "turquoise",
              "lime",
              "orange",
              "violet",
              "indigo",
              "wathet",
              "green",
              "yellow",
              "red",
              "purple",
              "carmine",
            ]),
          })
          .strict(),
      )
      .max(3)
      .optional(),
  })
  .strict();

export const feishuCardSchema = z
  .object({
    schema: z.literal("2.0"),
    config: z.object({ update_multi: z.literal(true) }).strict(),
    header,
    body: z.object({ elements: z.array(element).min(1) }).strict(),
  })
  .strict();

/** Rules a schema cannot say: forms at the root only, field names unique per form, a submit button in each. */
function formRules(card: z.infer<typeof feishuCardSchema>): string[] {
  const errors: string[] = [];
  const names = new Set<string>();
  const walk = (
    els: readonly Element[],
    path: string,
    inForm: boolean,
    formFields?: Set<string>,
    root = false,
  ) => {
    els.forEach((e, i) => {
      const here = `${path}[${i}]`;
      if (e.tag === "form") {
        if (!root) errors.push(`${here}: a form must be at the body's root`);
        if (names.has(e.name)) errors.push(`${here}: form name "${e.name}" is not unique`);
        names.add(e.name);
        const fields = new Set<string>();
        walk(e.elements, `${here}.elements`, true, fields);
        const submit = JSON.stringify(e.elements).includes('"form_action_type":"submit"');
        if (!submit) errors.push(`${here}: a form needs a submit button`);
        return;
      }
      if (e.tag === "column_set") {
        for (const [j, c] of e.columns.entries())
          walk(c.elements, `${here}.columns[${j}].elements`, inForm, formFields);
        return;
      }
      if ((e.tag === "input" || e.tag === "select_static" || e.tag === "date_picker") && !inForm)
        errors.push(`${here}: an input outside a form`);
      if ((e.tag === "input" || e.tag === "select_static" || e.tag === "date_picker") && formFields) {
        if (formFields.has(e.name)) errors.push(`${here}: field name "${e.name}" is not unique in its form`);
        formFields.add(e.name);
      }
      if (e.tag === "button" && e.form_action_type) {
        if (!inForm) errors.push(`${here}: a submit button outside a form`);
        if (!e.name) errors.push(`${here}: a form button needs a name`);
      }
    });
  };
  walk(card.body.elements, "body.elements", false, undefined, true);
  return errors;
}

export function validateFeishuCard(card: unknown): Validation {
  const parsed = feishuCardSchema.safeParse(card);
  if (!parsed.success) return validation(zodErrors(parsed.error));
  const errors = formRules(parsed.data);
  const size = feishuBytes(card);
  if (size > FEISHU_LIMITS.bytes) errors.push(`card is ${size} bytes, over ${FEISHU_LIMITS.bytes}`);
  const components = feishuComponents(card);
  if (components > FEISHU_LIMITS.components)
    errors.push(`card has ${components} components, over ${FEISHU_LIMITS.components}`);
  return validation(errors);
}
