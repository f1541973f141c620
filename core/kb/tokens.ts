/**
 * Search terms for Chinese and English text. Chinese has no spaces between words, so whitespace splitting
 * finds nothing: words come from Intl.Segmenter (Node's ICU dictionary), and every pair of adjacent Han
 * characters is a term too, so a query still matches when the dictionary cuts a phrase differently than
 * the article's author would ("没到" in 快递没到 / 快递还没到货). Latin words are case-folded and lightly
 * stemmed ("refunds", "refunded" -> "refund").
 */

const HAN = /\p{Script=Han}/u;
const WORDLIKE = /[\p{L}\p{N}]/u;
const segmenter = new Intl.Segmenter("zh-CN", { granularity: "word" });

/** Words that say nothing about what an article is about; IDF would drown them too, but small corpora lie. */
const STOP = new Set([
  // English
  "a",
  "an",
  "and",
  "are",
  "be",
  "can",
  "do",
  "doe",
  "for",
  "how",
  "i",
  "in",
  "is",
  "it",
  "my",
  "of",
  "on",
  "or",
  "the",
  "to",
  "what",
  "when",
  "why",
  "with",
  "you",
  // Chinese
  "的",
  "了",
  "吗",
  "呢",
  "吧",
  "啊",
  "是",
  "我",
  "我的",
  "你",
  "您",
  "在",
  "和",
  "怎么",
  "怎么办",
  "如何",
  "什么",
  "请问",
  "一下",
]);

/** A small suffix stripper: enough that plural and tense do not hide a match; not a full Porter stemmer. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (word.endsWith("ing") && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith("ed") && word.length > 4) return undouble(word.slice(0, -2));
  if (word.endsWith("es") && /(?:sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) return word.slice(0, -1);
  return word;
}

/** shipp -> ship, stopp -> stop; but not "ll" or "ss" (call, pass). */
const undouble = (w: string): string => (/([^aeioulsz])\1$/.test(w) ? w.slice(0, -1) : w);

/** The terms of a text, in order, repeats kept (term frequency counts them). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flushRun = () => {
    // Pairs across the dictionary's word boundaries: 快递|没|到 also gives 递没 and 没到.
    for (let i = 0; i + 1 < run.length; i++) {
      const pair = `${run[i]}${run[i + 1]}`;
      if (!STOP.has(pair)) out.push(pair);
    }
    run = [];
  };
  for (const { segment, isWordLike } of segmenter.segment(text.normalize("NFKC").toLowerCase())) {
    if (!isWordLike || !WORDLIKE.test(segment) || STOP.has(segment)) {
      flushRun();
      continue;
    }
    if (HAN.test(segment)) {
      out.push(segment);
      run.push(...[...segment].filter((c) => HAN.test(c)));
      continue;
    }
    flushRun();
    const word = stem(segment.replace(/['’]/g, ""));
    if (word && !STOP.has(word)) out.push(word);
  }
  flushRun();
  return out;
}
