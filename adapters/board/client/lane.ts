/// <reference lib="dom" />
import type { Tile } from "../tiles.ts";
import { h } from "./dom.ts";

/** Every tile has the same height, so a column of 2,000 draws only the dozen or so in view. */
export const ROW = 132;
const OVERSCAN = 4;

type Render = (tile: Tile, index: number, size: number) => HTMLElement;

/** A virtualised, scrollable column of tiles. */
export class Lane {
  readonly el: HTMLElement;
  readonly #spacer: HTMLElement;
  readonly #render: Render;
  #items: Tile[] = [];
  readonly #shown = new Map<string, { tile: Tile; el: HTMLElement }>();
  #frame = 0;

  constructor(label: string, render: Render) {
    this.#render = render;
    this.#spacer = h("div", { class: "spacer" });
    this.el = h("div", { class: "lane", role: "list", "aria-label": label }, this.#spacer);
    this.el.addEventListener("scroll", () => this.#schedule(), { passive: true });
    new ResizeObserver(() => this.#schedule()).observe(this.el);
  }

  get items(): readonly Tile[] {
    return this.#items;
  }

  indexOf(number: string): number {
    return this.#items.findIndex((t) => t.number === number);
  }

  /** Replaces the tiles; the tile at the top of the view stays where it is (no jump when one arrives above). */
  set(items: Tile[]): void {
    const top = Math.floor(this.el.scrollTop / ROW);
    const anchor = this.#items[top]?.number;
    const offset = this.el.scrollTop - top * ROW;
    this.#items = items;
    this.#spacer.style.height = `${items.length * ROW}px`;
    if (anchor !== undefined) {
      const moved = this.indexOf(anchor);
      if (moved >= 0 && moved !== top) this.el.scrollTop = moved * ROW + offset;
    }
    this.paint();
  }

  #schedule(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.paint();
    });
  }

  /** Draws the tiles in view (and a few around them); reuses those that did not change. */
  paint(): void {
    const height = this.el.clientHeight || 800;
    const first = Math.max(0, Math.floor(this.el.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(this.#items.length, Math.ceil((this.el.scrollTop + height) / ROW) + OVERSCAN);
    const wanted = new Set<string>();
    const focused = document.activeElement;
    for (let i = first; i < last; i++) {
      const tile = this.#items[i]!;
      wanted.add(tile.number);
      const shown = this.#shown.get(tile.number);
      let el = shown?.el;
      if (!shown || shown.tile !== tile || el?.dataset.index !== String(i)) {
        el = this.#render(tile, i, this.#items.length);
        el.dataset.index = String(i);
        el.style.transform = `translateY(${i * ROW}px)`;
        if (shown) {
          const hadFocus = shown.el === focused || shown.el.contains(focused);
          shown.el.replaceWith(el);
          if (hadFocus) el.focus({ preventScroll: true });
        } else this.el.append(el);
        this.#shown.set(tile.number, { tile, el });
      }
    }
    for (const [number, shown] of this.#shown) {
      if (wanted.has(number)) continue;
      shown.el.remove();
      this.#shown.delete(number);
    }
  }

  /** Scrolls a tile into view and draws it; returns its element. */
  reveal(index: number): HTMLElement | undefined {
    const tile = this.#items[index];
    if (!tile) return undefined;
    const top = index * ROW;
    if (top < this.el.scrollTop) this.el.scrollTop = top;
    else if (top + ROW > this.el.scrollTop + this.el.clientHeight)
      this.el.scrollTop = top + ROW - this.el.clientHeight;
    this.paint();
    return this.#shown.get(tile.number)?.el;
  }

  element(number: string): HTMLElement | undefined {
    return this.#shown.get(number)?.el;
  }
}
