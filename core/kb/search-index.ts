import { tokenize } from "./tokens.ts";

/** A document's text by field; title and tags weigh more than the body. */
export interface IndexedText {
  readonly title: string;
  readonly tags: readonly string[];
  readonly body: string;
}

export interface Hit {
  readonly id: string;
  /** BM25 over the weighted fields; 0 never comes back. */
  readonly score: number;
}

const FIELD_WEIGHT = { title: 3, tags: 2, body: 1 } as const;
const K1 = 1.2;
const B = 0.75;

function weightedTerms(doc: IndexedText): Map<string, number> {
  const tf = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const term of tokenize(text)) tf.set(term, (tf.get(term) ?? 0) + weight);
  };
  add(doc.title, FIELD_WEIGHT.title);
  add(doc.tags.join(" "), FIELD_WEIGHT.tags);
  add(doc.body, FIELD_WEIGHT.body);
  return tf;
}

/**
 * An in-memory inverted index scored with BM25. Replacing or removing a document touches only its own
 * postings, so writes keep the index in step without a rebuild.
 */
export class SearchIndex {
  readonly #postings = new Map<string, Map<string, number>>();
  readonly #docs = new Map<string, { readonly terms: Map<string, number>; readonly length: number }>();
  #totalLength = 0;

  get size(): number {
    return this.#docs.size;
  }

  has(id: string): boolean {
    return this.#docs.has(id);
  }

  /** Adds a document, or replaces the one with this id. */
  put(id: string, doc: IndexedText): void {
    this.remove(id);
    const terms = weightedTerms(doc);
    let length = 0;
    for (const [term, tf] of terms) {
      length += tf;
      let posting = this.#postings.get(term);
      if (!posting) {
        posting = new Map();
        this.#postings.set(term, posting);
      }
      posting.set(id, tf);
    }
    this.#docs.set(id, { terms, length });
    this.#totalLength += length;
  }

  remove(id: string): void {
    const doc = this.#docs.get(id);
    if (!doc) return;
    for (const term of doc.terms.keys()) {
      const posting = this.#postings.get(term);
      posting?.delete(id);
      if (posting?.size === 0) this.#postings.delete(term);
    }
    this.#docs.delete(id);
    this.#totalLength -= doc.length;
  }

  /** Documents sharing at least one term with the query, best first (ties by id, so results are stable). */
  search(query: string): Hit[] {
    const n = this.#docs.size;
    if (n === 0) return [];
    const avgLength = this.#totalLength / n;
    const queryTerms = new Map<string, number>();
    for (const term of tokenize(query)) queryTerms.set(term, (queryTerms.get(term) ?? 0) + 1);
    const scores = new Map<string, number>();
    for (const [term, qtf] of queryTerms) {
      const posting = this.#postings.get(term);
      if (!posting) continue;
      const idf = Math.log(1 + (n - posting.size + 0.5) / (posting.size + 0.5));
      for (const [id, tf] of posting) {
        const length = this.#docs.get(id)!.length;
        const part = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avgLength));
        scores.set(id, (scores.get(id) ?? 0) + part * qtf);
      }
    }
    return [...scores]
      .filter(([, score]) => score > 0)
      .map(([id, score]) => ({ id, score }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
