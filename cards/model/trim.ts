import { clip } from "../text/clean.ts";
import type { Block, Card, Inline } from "./types.ts";

/**
 * Ever smaller versions of a card, for a renderer whose platform caps size: first the oldest history
 * lines go (counted as "on the board"), then long texts get shorter, then secondary blocks go. The header
 * and the buttons always stay.
 */
export function* shrink(card: Card): Generator<Card> {
  let current = card;
  while (timelineLength(current) > 0) {
    current = dropOldestEntry(current);
    yield current;
  }
  for (const max of [300, 120, 40]) {
    current = clipTexts(current, max);
    yield current;
  }
  current = {
    ...current,
    blocks: current.blocks.filter((b) => b.kind !== "timeline" && b.kind !== "divider"),
  };
  yield current;
  current = { ...current, blocks: current.blocks.filter((b) => b.kind === "actions" || b.kind === "form") };
  yield current;
}

/**
 * The first rendering that fits, trying the card as it is and then each smaller version. Never fails:
 * when nothing fits, the smallest rendering is returned and the platform's validator will say why.
 */
export function fitCard<T>(card: Card, render: (c: Card) => T, fits: (out: T) => boolean): T {
  let out = render(card);
  if (fits(out)) return out;
  for (const smaller of shrink(card)) {
    out = render(smaller);
    if (fits(out)) return out;
  }
  return out;
}

function timelineLength(card: Card): number {
  return card.blocks.reduce((n, b) => n + (b.kind === "timeline" ? b.entries.length : 0), 0);
}

function dropOldestEntry(card: Card): Card {
  let done = false;
  const blocks = [...card.blocks].reverse().map((b): Block => {
    if (done || b.kind !== "timeline" || b.entries.length === 0) return b;
    done = true;
    return { ...b, entries: b.entries.slice(0, -1), omitted: b.omitted + 1 };
  });
  return { ...card, blocks: blocks.reverse() };
}

const clipRun = (r: Inline, max: number): Inline =>
  r.kind === "text" || r.kind === "strong" ? { ...r, text: clip(r.text, max) } : r;

function clipTexts(card: Card, max: number): Card {
  const runs = (content: readonly Inline[]) => content.map((r) => clipRun(r, max));
  const blocks = card.blocks.map((b): Block => {
    switch (b.kind) {
      case "text":
        return { ...b, content: runs(b.content) };
      case "fields":
        return { ...b, fields: b.fields.map((f) => ({ ...f, value: runs(f.value) })) };
      case "timeline":
        return { ...b, entries: b.entries.map((e) => ({ ...e, content: runs(e.content) })) };
      case "form":
        return {
          ...b,
          form: {
            ...b.form,
            inputs: b.form.inputs.map((i) =>
              i.value === undefined ? i : { ...i, value: clip(i.value, max * 2) },
            ),
          },
        };
      default:
        return b;
    }
  });
  return { ...card, blocks };
}
