import type { Text } from "../i18n/locale.ts";

/** Tags the service process names; any other tag a person types is kept as written. */
export const KNOWN_TAGS = ["vip", "high_value", "sensitive", "price_sensitive", "technical"] as const;
export type KnownTag = (typeof KNOWN_TAGS)[number];

export const TAG_LABELS: Readonly<Record<KnownTag, Text>> = {
  vip: { "zh-CN": "VIP", en: "VIP" },
  high_value: { "zh-CN": "高价值", en: "high-value" },
  sensitive: { "zh-CN": "敏感", en: "sensitive" },
  price_sensitive: { "zh-CN": "价格敏感", en: "price-sensitive" },
  technical: { "zh-CN": "技术型", en: "technical" },
};

/** Tags that raise a new ticket's priority one level (see core/routing/classify.ts). */
export const PRIORITY_TAGS: readonly KnownTag[] = ["vip", "high_value"];

export const TAG_MAX_LENGTH = 32;
export const TAGS_MAX = 20;

const ALIASES = new Map<string, KnownTag>();
for (const tag of KNOWN_TAGS) {
  ALIASES.set(tag, tag);
  ALIASES.set(tag.replace("_", "-"), tag);
  ALIASES.set(tag.replace("_", " "), tag);
  ALIASES.set(TAG_LABELS[tag]["zh-CN"].toLowerCase(), tag);
}
ALIASES.set("高价值客户", "high_value");
ALIASES.set("价格敏感型", "price_sensitive");

/** A tag as stored: a known tag by its id whatever spelling or language was typed, else trimmed and cut. */
export function normaliseTag(raw: string): string | undefined {
  const trimmed = raw.normalize("NFKC").trim().replace(/\s+/g, " ");
  if (trimmed === "") return undefined;
  return ALIASES.get(trimmed.toLowerCase()) ?? trimmed.slice(0, TAG_MAX_LENGTH);
}

/** Normalised, de-duplicated, at most TAGS_MAX, in first-seen order. */
export function normaliseTags(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of raw) {
    const tag = normaliseTag(r);
    if (tag !== undefined && !out.includes(tag)) out.push(tag);
  }
  return out.slice(0, TAGS_MAX);
}

export const raisesPriority = (tags: readonly string[] | undefined): boolean =>
  (tags ?? []).some((t) => (PRIORITY_TAGS as readonly string[]).includes(normaliseTag(t) ?? ""));

export const tagLabel = (tag: string): Text =>
  (TAG_LABELS as Record<string, Text>)[tag] ?? { "zh-CN": tag, en: tag };
