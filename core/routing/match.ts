/**
 * Keyword and regex patterns as routing configuration writes them.
 *
 * - `"/source/flags"` is a regular expression (the `g` and `y` flags are dropped: matching is stateless).
 * - Anything else is a keyword, matched case-insensitively. A keyword that starts with a Latin letter or
 *   digit must start a word, and one that ends with a letter must end a word or carry a common English
 *   ending (s, es, d, ed, ing, ly): "refund" fires on "refunded", "sue" does not fire on "issue", "press"
 *   would not fire on "pressure". Chinese keywords match anywhere. Runs of spaces in a keyword match any
 *   run of whitespace.
 *
 * Text is NFKC-normalised before matching (full-width ！，１２３ become !,123), and so are keywords;
 * regex sources are used as written and see the normalised text.
 */

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;
const ENDINGS = "(?:s|es|d|ed|ing|ly)?";

export const normalise = (text: string): string => text.normalize("NFKC");

export const isRegexPattern = (pattern: string): boolean => REGEX_LITERAL.test(pattern);

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function keywordRegex(keyword: string): RegExp {
  const word = normalise(keyword).trim();
  const body = word.split(/\s+/).map(escapeRegex).join("\\s+");
  const head = /^[a-z0-9]/i.test(word) ? "(?<![a-z0-9_])" : "";
  const tail = /[a-z]$/i.test(word) ? `${ENDINGS}(?![a-z0-9_])` : /[0-9]$/.test(word) ? "(?![a-z0-9_])" : "";
  return new RegExp(`${head}${body}${tail}`, "iu");
}

/** Compiles a pattern, or throws a SyntaxError for an invalid regular expression. */
export function compilePattern(pattern: string): RegExp {
  const literal = REGEX_LITERAL.exec(pattern);
  if (!literal) return keywordRegex(pattern);
  const flags = [...new Set(literal[2]!.replace(/[gy]/g, ""))].join("");
  return new RegExp(literal[1]!, flags);
}

export function isValidPattern(pattern: string): boolean {
  if (pattern.trim() === "") return false;
  try {
    compilePattern(pattern);
    return true;
  } catch {
    return false;
  }
}

// Configuration holds a bounded set of patterns, so compiled forms are kept for the life of the process.
const compiled = new Map<string, RegExp>();

function regexFor(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = compilePattern(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

/** The text the pattern matched in already-normalised text, or undefined. Empty matches do not count. */
export function matchPattern(pattern: string, normalisedText: string): string | undefined {
  const found = regexFor(pattern).exec(normalisedText)?.[0];
  return found ? found : undefined;
}

/** Every pattern's matched text, in pattern order, without repeats. */
export function matchAny(patterns: readonly string[], normalisedText: string): string[] {
  const terms: string[] = [];
  for (const p of patterns) {
    const term = matchPattern(p, normalisedText);
    if (term !== undefined && !terms.includes(term)) terms.push(term);
  }
  return terms;
}
