/**
 * A function of a text with its recent answers kept. Cards are drawn on every click and their strings repeat
 * (labels, names, statuses, the ticket's own texts on its next click, the same minutes in its timeline),
 * while making a text inert runs a dozen regular expressions and formatting a time in a zone calls Intl.
 * Only short keys are kept, and the table starts over when full, so the memory it holds stays bounded.
 */
export function memo<T>(fn: (key: string) => T, entries = 4096, longest = 1024): (key: string) => T {
  const kept = new Map<string, T>();
  return (key) => {
    if (key.length > longest) return fn(key);
    const known = kept.get(key);
    if (known !== undefined) return known;
    const out = fn(key);
    if (kept.size >= entries) kept.clear();
    kept.set(key, out);
    return out;
  };
}

export const memoText = memo<string>;
