import type { CallbackValue } from "../../model/actions.ts";
import { ticketRef } from "../../model/ref.ts";
import type { Button, Card, Form, Input, Tone } from "../../model/types.ts";
import { clip } from "../../text/clean.ts";
import { safeUrl } from "../../text/markup.ts";
import { bytes, jsonBytes } from "../../text/size.ts";
import { paragraphs } from "./paragraphs.ts";
import { cardMention, plain } from "./text.ts";
import {
  BUTTON_SLOTS,
  CONTENT_SLOTS,
  DINGTALK_LIMITS,
  INPUT_SLOTS,
  TEMPLATE_VARIABLES,
  type TemplateVariable,
} from "./variables.ts";

/** What createAndDeliver / PUT /v1.0/card/instances need from a render (the rest is delivery). */
export interface DingTalkCardData {
  readonly cardData: { readonly cardParamMap: Readonly<Record<TemplateVariable, string>> };
  /** DingTalk user ids mentioned in the card: the request's cardAtUserIds. */
  readonly cardAtUserIds: readonly string[];
}

export const HEADER_COLOR: Readonly<Record<Tone, string>> = {
  red: "#F54A45",
  orange: "#FF8800",
  blue: "#3370FF",
  green: "#34C724",
  grey: "#8F959E",
};

const fitsValue = (s: string) => bytes(s) <= DINGTALK_LIMITS.valueBytes;

/** Paragraphs packed in order into at most `slots` values of at most 1 KB; undefined when they do not fit. */
function pack(parts: readonly string[], slots: number): string[] | undefined {
  const out: string[] = [];
  let current = "";
  for (const p of parts) {
    const joined = current ? `${current}\n\n${p}` : p;
    if (fitsValue(joined)) {
      current = joined;
      continue;
    }
    if (!fitsValue(p)) return undefined;
    out.push(current);
    current = p;
  }
  if (current) out.push(current);
  return out.length <= slots ? out : undefined;
}

function buttonsOf(card: Card): Button[] {
  return card.blocks.flatMap((b) => (b.kind === "actions" ? b.buttons : []));
}

function params(value: CallbackValue): Record<string, string | number> {
  return { ...value };
}

/** Buttons for several tickets in one card name their ticket, since DingTalk shows them all in one row. */
function buttonJson(b: Button, many: boolean): string {
  const ticketOf = b.does.kind === "link" ? "" : b.does.value.ticket;
  const text = plain(many && ticketOf ? `${b.text} ${ticketOf}` : b.text);
  if (b.does.kind === "link") {
    const url = safeUrl(b.does.url);
    return JSON.stringify({ id: b.id, text, style: b.style, kind: "link", url: url ?? "" });
  }
  return JSON.stringify({ id: b.id, text, style: b.style, kind: "callback", params: params(b.does.value) });
}

/** An input as JSON within 1 KB: a long prefilled value is cut, then options beyond what fits are left out. */
function inputJson(i: Input): string {
  let value = i.value;
  let options = i.options ?? [];
  const encode = () =>
    JSON.stringify({
      name: i.name,
      label: plain(i.label),
      kind: i.kind,
      required: i.required,
      ...(i.placeholder ? { placeholder: plain(i.placeholder) } : {}),
      ...(value !== undefined ? { value } : {}),
      ...(i.maxLength !== undefined ? { maxLength: i.maxLength } : {}),
      ...(i.kind === "select"
        ? { options: options.map((o) => ({ value: o.value, text: plain(o.text) })) }
        : {}),
    });
  let out = encode();
  while (!fitsValue(out) && value && value.length > 0) {
    value = clip(value, Math.floor([...value].length * 0.7));
    out = encode();
  }
  while (!fitsValue(out) && options.length > 0) {
    options = options.slice(0, -1);
    out = encode();
  }
  return out;
}

function formJson(f: Form): string {
  return JSON.stringify({
    id: f.id,
    title: plain(f.title),
    submit: { text: plain(f.submit.text), style: f.submit.style, params: params(f.submit.value) },
  });
}

/** One render, or undefined when some value is over DingTalk's caps (the caller then shrinks the card). */
export function cardData(card: Card): DingTalkCardData | undefined {
  const used = new Set<string>();
  const content = pack(paragraphs(card.blocks, card.locale, cardMention, used), CONTENT_SLOTS);
  if (!content) return undefined;
  const buttons = buttonsOf(card);
  const tickets = new Set(buttons.flatMap((b) => (b.does.kind === "link" ? [] : [b.does.value.ticket])));
  const form = card.blocks.find((b) => b.kind === "form");
  const map: Record<string, string> = Object.fromEntries(TEMPLATE_VARIABLES.map((v) => [v, ""]));
  map.title = plain(card.header.title);
  map.subtitle = plain(card.header.subtitle ?? "");
  map.header_color = HEADER_COLOR[card.header.tone];
  map.tags = plain(card.header.tags.map((tag) => tag.text).join(" · "));
  content.forEach((c, i) => {
    map[`content_${i + 1}`] = c;
  });
  buttons.slice(0, BUTTON_SLOTS).forEach((b, i) => {
    map[`button_${i + 1}`] = buttonJson(b, tickets.size > 1);
  });
  if (form?.kind === "form") {
    map.form = formJson(form.form);
    form.form.inputs.slice(0, INPUT_SLOTS).forEach((input, i) => {
      map[`input_${i + 1}`] = inputJson(input);
    });
  }
  const ref = ticketRef(card);
  map.ticket = ref?.ticket ?? "";
  map.version = ref ? String(ref.version) : "";
  map.locale = card.locale;
  if (!Object.values(map).every(fitsValue) || jsonBytes(map) > 64 * 1024) return undefined;
  return { cardData: { cardParamMap: map as Record<TemplateVariable, string> }, cardAtUserIds: [...used] };
}
