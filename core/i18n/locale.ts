export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** A text a person reads, in every supported locale. */
export type Text = Readonly<Record<Locale, string>>;

export function pickLocale(header: string | null | undefined, fallback: Locale = "zh-CN"): Locale {
  if (!header) return fallback;
  const first = header.split(",")[0]?.trim().toLowerCase() ?? "";
  if (first.startsWith("zh")) return "zh-CN";
  if (first.startsWith("en")) return "en";
  return fallback;
}
