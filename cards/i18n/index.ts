import type { Locale } from "../../core/i18n/locale.ts";
import { en } from "./en.ts";
import { zhCN } from "./zh-CN.ts";

export type MessageKey = keyof typeof zhCN;

const TABLES: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { "zh-CN": zhCN, en };

const PARAM = /\{(\w+)\}/g;

/** The text of a key in a locale, with `{name}` parameters filled in. */
export function t(
  locale: Locale,
  key: MessageKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  const template = TABLES[locale][key];
  if (!template.includes("{")) return template;
  return template.replace(PARAM, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * A template split at its parameters, so a caller can put something other than text (a mention) in a slot.
 * Returns alternating literal pieces and parameter names, in order.
 */
export function templateParts(locale: Locale, key: MessageKey): { literal?: string; param?: string }[] {
  const source = TABLES[locale][key];
  const parts: { literal?: string; param?: string }[] = [];
  let last = 0;
  for (const m of source.matchAll(PARAM)) {
    if (m.index > last) parts.push({ literal: source.slice(last, m.index) });
    parts.push({ param: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push({ literal: source.slice(last) });
  return parts;
}

export const hasMessage = (key: string): key is MessageKey => Object.hasOwn(zhCN, key);

export const messageKeys = (): MessageKey[] => Object.keys(zhCN) as MessageKey[];
