const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Every occurrence of each key replaced by its value, in one pass over the text: a value put in is never
 * searched again. (Replacing mention keys one after the other lets a name that holds another mention's key
 * multiply the text at each step, until the heap gives out.) Longer keys win where keys overlap.
 */
export function replaceOnce(text: string, values: ReadonlyMap<string, string>): string {
  if (values.size === 0 || text === "") return text;
  const keys = [...values.keys()]
    .filter((k) => k !== "")
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  if (keys.length === 0) return text;
  return text.replace(new RegExp(keys.join("|"), "g"), (k) => values.get(k) ?? k);
}
