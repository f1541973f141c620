import { z } from "zod";
import { callbackValueSchema } from "../model/actions.ts";
import { DINGTALK_LIMITS, TEMPLATE_VARIABLES } from "../render/dingtalk/variables.ts";
import { bytes, jsonBytes } from "../text/size.ts";
import { type Validation, validation, zodErrors } from "./result.ts";

/**
 * DingTalk card data and robot messages as closeloop sends them, written from shared/platforms/dingtalk.md:
 * cardParamMap values are strings only (keys at most 100 bytes, values at most 1 KB); the keys are exactly
 * the template's variables; the JSON-valued slots hold what the template expects; a robot message's @
 * needs both `@userId` in the text and the id in at.atUserIds; msgParam at most 15 000 bytes.
 */

const httpUrl = z.string().regex(/^https?:\/\/\S+$/, "expected an http(s) URL");
const userId = z.string().regex(/^[A-Za-z0-9_$-]{1,64}$/);

const paramMap = z
  .record(
    z.string().refine((k) => bytes(k) <= DINGTALK_LIMITS.keyBytes, "key over 100 bytes"),
    z.string().refine((v) => bytes(v) <= DINGTALK_LIMITS.valueBytes, "value over 1 KB"),
  )
  .superRefine((map, ctx) => {
    const expected = new Set<string>(TEMPLATE_VARIABLES);
    for (const k of Object.keys(map))
      if (!expected.has(k)) ctx.addIssue({ code: "custom", path: [k], message: "not a template variable" });
    for (const k of expected)
      if (!(k in map)) ctx.addIssue({ code: "custom", path: [k], message: "template variable missing" });
  });

const buttonSlot = z.discriminatedUnion("kind", [
  z
    .object({
      id: z.string().min(1).max(20),
      text: z.string().min(1),
      style: z.enum(["primary", "default", "danger"]),
      kind: z.literal("callback"),
      params: callbackValueSchema,
    })
    .strict(),
  z
    .object({
      id: z.string().min(1).max(20),
      text: z.string().min(1),
      style: z.enum(["primary", "default", "danger"]),
      kind: z.literal("link"),
      url: httpUrl,
    })
    .strict(),
]);

const formSlot = z
  .object({
    id: z.string().min(1).max(20),
    title: z.string().min(1),
    submit: z
      .object({
        text: z.string().min(1),
        style: z.enum(["primary", "default", "danger"]),
        params: callbackValueSchema,
      })
      .strict(),
  })
  .strict();

const inputSlot = z
  .object({
    name: z.string().min(1),
    label: z.string().min(1),
    kind: z.enum(["text", "multiline", "select"]),
    required: z.boolean(),
    placeholder: z.string().optional(),
    value: z.string().optional(),
    maxLength: z.number().int().positive().optional(),
    options: z.array(z.object({ value: z.string().min(1), text: z.string().min(1) }).strict()).optional(),
  })
  .strict()
  .refine((i) => i.kind !== "select" || (i.options?.length ?? 0) > 0, "a select needs options");

const SLOT_SCHEMAS: readonly [RegExp, z.ZodType][] = [
  [/^button_\d+$/, buttonSlot],
  [/^form$/, formSlot],
  [/^input_\d+$/, inputSlot],
];

export const dingTalkCardDataSchema = z
  .object({
    cardData: z.object({ cardParamMap: paramMap }).strict(),
    cardAtUserIds: z.array(userId),
  })
  .strict();

function slotErrors(map: Readonly<Record<string, string>>): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (value === "") continue;
    const schema = SLOT_SCHEMAS.find(([re]) => re.test(key))?.[1];
    if (!schema) continue;
    let json: unknown;
    try {
      json = JSON.parse(value);
    } catch {
      errors.push(`${key}: not JSON`);
      continue;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) errors.push(...zodErrors(parsed.error).map((e) => `${key}.${e}`));
  }
  if (!/^#[0-9A-F]{6}$/i.test(map.header_color ?? "")) errors.push("header_color: expected #RRGGBB");
  if (!map.title) errors.push("title: empty");
  return errors;
}

/** Mentions written in the card's markdown (<a atId=...>) must be exactly the ones delivered as cardAtUserIds. */
function mentionErrors(map: Readonly<Record<string, string>>, atUserIds: readonly string[]): string[] {
  const written = new Set<string>();
  for (const v of Object.values(map)) for (const m of v.matchAll(/<a atId=([^>\s]+)>/g)) written.add(m[1]!);
  const listed = new Set(atUserIds);
  const errors: string[] = [];
  for (const id of written) if (!listed.has(id)) errors.push(`mention of ${id} is not in cardAtUserIds`);
  for (const id of listed)
    if (!written.has(id)) errors.push(`cardAtUserIds has ${id}, which the card never mentions`);
  return errors;
}

export function validateDingTalkCardData(data: unknown): Validation {
  const parsed = dingTalkCardDataSchema.safeParse(data);
  if (!parsed.success) return validation(zodErrors(parsed.error));
  const map = parsed.data.cardData.cardParamMap;
  return validation([...slotErrors(map), ...mentionErrors(map, parsed.data.cardAtUserIds)]);
}

const btn = z.object({ title: z.string().min(1), actionURL: httpUrl }).strict();

export const dingTalkMessageSchema = z.discriminatedUnion("msgtype", [
  z
    .object({
      msgtype: z.literal("markdown"),
      markdown: z.object({ title: z.string().min(1), text: z.string().min(1) }).strict(),
      at: z.object({ atUserIds: z.array(userId), isAtAll: z.literal(false) }).strict(),
    })
    .strict(),
  z
    .object({
      msgtype: z.literal("actionCard"),
      actionCard: z
        .object({
          title: z.string().min(1),
          text: z.string().min(1),
          btnOrientation: z.enum(["0", "1"]),
          singleTitle: z.string().min(1).optional(),
          singleURL: httpUrl.optional(),
          btns: z.array(btn).min(2).max(5).optional(),
        })
        .strict()
        .refine(
          (c) => (c.singleTitle === undefined) === (c.singleURL === undefined),
          "singleTitle and singleURL go together",
        )
        .refine((c) => !(c.singleURL && c.btns), "either a single button or btns"),
    })
    .strict(),
]);

export function validateDingTalkMessage(message: unknown): Validation {
  const parsed = dingTalkMessageSchema.safeParse(message);
  if (!parsed.success) return validation(zodErrors(parsed.error));
  const errors: string[] = [];
  const size = jsonBytes(message);
  if (size > DINGTALK_LIMITS.msgParamBytes)
    errors.push(`message is ${size} bytes, over ${DINGTALK_LIMITS.msgParamBytes}`);
  const m = parsed.data;
  const text = m.msgtype === "markdown" ? m.markdown.text : m.actionCard.text;
  const written = new Set([...text.matchAll(/@([A-Za-z0-9_$-]+)/g)].map((x) => x[1]!));
  const listed = new Set(m.msgtype === "markdown" ? m.at.atUserIds : []);
  for (const id of written)
    if (!listed.has(id)) errors.push(`"@${id}" in the text without at.atUserIds: it would not notify`);
  for (const id of listed)
    if (!written.has(id)) errors.push(`at.atUserIds has ${id} but the text lacks "@${id}"`);
  return validation(errors);
}
