/**
 * A text-to-text function with its recent answers kept. Cards are rendered on every click and their
 * strings repeat (labels, names, statuses, the ticket's own texts on its next click), while making a text
 * inert runs a dozen regular expressions. Only short texts are kept, and the table starts over when full,
 * so the memory it holds stays small and bounded.
 */
export function memoText(
  fn: (text: string) => string,
  entries = 4096,
  longest = 1024,
): (text: string) => string {
  const kept = new Map<string, string>();
  return (text) => {
    if (text.length > longest) return fn(text);
    const known = kept.get(text);
    if (known !== undefined) return known;
    const out = fn(text);
    if (kept.size >= entries) kept.clear();
    kept.set(text, out);
    return out;
  };
}
