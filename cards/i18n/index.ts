import type { Locale } from "../../core/i18n/locale.ts";
import { en } from "./en.ts";
import { zhCN } from "./zh-CN.ts";

export type MessageKey = keyof typeof zhCN;

const TABLES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { "zh-CN": zhCN, en };

const PARAM = /\{(\w+)\}/g;

type Part = { readonly literal?: string; readonly param?: string };

// Templates are split once: cards fill dozens of them per render.
const compiled = new Map<string, readonly Part[]>();

function partsOf(source: string): readonly Part[] {
  let parts = compiled.get(source);
  if (!parts) {
    const out: Part[] = [];
    let last = 0;
    for (const m of source.matchAll(PARAM)) {
      if (m.index > last) out.push({ literal: source.slice(last, m.index) });
      out.push({ param: m[1]! });
      last = m.index + m[0].length;
    }
    if (last < source.length) out.push({ literal: source.slice(last) });
    parts = Object.freeze(out.map((p) => Object.freeze(p)));
    compiled.set(source, parts);
  }
  return parts;
}

/** The text of a key in a locale, with `{name}` parameters filled in. */
export function t(
  locale: Locale,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const template = TABLES[locale][key];
  if (!template.includes("{")) return template;
  let text = "";
  for (const p of partsOf(template)) {
    if (p.param === undefined) text += p.literal;
    else text += Object.hasOwn(params, p.param) ? String(params[p.param]) : `{${p.param}}`;
  }
  return text;
}

/**
 * A template split at its parameters, so a caller can put something other than text (a mention) in a slot.
 * Returns alternating literal pieces and parameter names, in order.
 */
export function templateParts(locale: Locale, key: MessageKey): readonly Part[] {
  return partsOf(TABLES[locale][key]);
}

export const hasMessage = (key: string): key is MessageKey => Object.hasOwn(zhCN, key);

export const messageKeys = (): MessageKey[] => Object.keys(zhCN) as MessageKey[];
