interface Entry {
  readonly at: number;
  readonly id: string;
}

const before = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.id < b.id);

/**
 * Which tickets are due, by their next-due instant: a binary min-heap with lazy deletion. Updating a ticket
 * pushes a new entry and leaves the old one to be skipped when it surfaces, so every operation costs
 * O(log n) and a query for k due items costs O(k log n), however many tickets are indexed.
 */
export class DueIndex {
  readonly #heap: Entry[] = [];
  readonly #current = new Map<string, number>();

  get size(): number {
    return this.#current.size;
  }

  /** Sets (or, with undefined, removes) the instant a ticket is next due. */
  set(id: string, at: string | number | undefined): void {
    const ms = typeof at === "string" ? Date.parse(at) : at;
    if (ms === undefined || Number.isNaN(ms)) {
      this.#current.delete(id);
    } else {
      if (this.#current.get(id) === ms) return;
      this.#current.set(id, ms);
      this.#push({ at: ms, id });
    }
    if (this.#heap.length > 2 * this.#current.size + 1024) this.#rebuild();
  }

  /** The earliest next-due instant, or undefined when nothing is scheduled. */
  next(): number | undefined {
    this.#dropStale();
    return this.#heap[0]?.at;
  }

  /** Up to `limit` ids due at or before `now`, earliest first; they stay indexed until updated. */
  due(now: number, limit: number): string[] {
    const taken: Entry[] = [];
    while (taken.length < limit) {
      this.#dropStale();
      const top = this.#heap[0];
      if (!top || top.at > now) break;
      taken.push(this.#pop()!);
    }
    for (const e of taken) this.#push(e);
    return taken.map((e) => e.id);
  }

  #isStale(e: Entry): boolean {
    return this.#current.get(e.id) !== e.at;
  }

  #dropStale(): void {
    while (this.#heap.length > 0 && this.#isStale(this.#heap[0]!)) this.#pop();
  }

  #rebuild(): void {
    this.#heap.length = 0;
    for (const [id, at] of this.#current) this.#heap.push({ at, id });
    for (let i = (this.#heap.length >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  #push(e: Entry): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  #pop(): Entry | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      this.#down(0);
    }
    return top;
  }

  #down(start: number): void {
    const h = this.#heap;
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
