import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DueIndex } from "../../core/sla/due-index.ts";

describe("due index", () => {
  it("returns what is due, earliest first, and keeps it until updated", () => {
    const idx = new DueIndex();
    idx.set("a", 30);
    idx.set("b", 10);
    idx.set("c", 20);
    idx.set("d", 99);
    expect(idx.due(25, 10)).toEqual(["b", "c"]);
    expect(idx.due(25, 10)).toEqual(["b", "c"]);
    expect(idx.due(25, 1)).toEqual(["b"]);
    idx.set("b", 50);
    idx.set("c", undefined);
    expect(idx.due(25, 10)).toEqual([]);
    expect(idx.next()).toBe(30);
    expect(idx.size).toBe(3);
  });

  it("agrees with a plain sort under any sequence of updates", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.option(fc.integer({ min: 0, max: 1000 }))), {
          maxLength: 300,
        }),
        fc.integer({ min: 0, max: 1000 }),
        (ops, now) => {
          const idx = new DueIndex();
          const model = new Map<string, number>();
          for (const [id, at] of ops) {
            idx.set(`t${id}`, at ?? undefined);
            if (at === null) model.delete(`t${id}`);
            else model.set(`t${id}`, at);
          }
          const expected = [...model.entries()]
            .filter(([, at]) => at <= now)
            .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
            .map(([id]) => id);
          expect(idx.due(now, 1000)).toEqual(expected);
          const min = Math.min(...model.values());
          expect(idx.next()).toBe(model.size ? min : undefined);
        },
      ),
    );
  });
});
