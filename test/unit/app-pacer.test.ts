import { describe, expect, it } from "vitest";
import { AppPacer } from "../../adapters/app-pacer.ts";

describe("app-wide send pacer (Feishu, Teams)", () => {
  it("spaces calls evenly in call order, never more than `perSecond` inside any second", async () => {
    const now = 0;
    const slots: number[] = [];
    const pacer = new AppPacer(3, { now: () => now, sleep: async (ms) => void slots.push(now + ms) });
    await Promise.all(Array.from({ length: 7 }, () => pacer.acquire()));
    const times = [0, ...slots];
    expect(times.map(Math.round)).toEqual([0, 340, 680, 1020, 1361, 1701, 2041]);
    for (const t of times) expect(times.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(3);
  });

  it("uses `share` of the limit (default 98 %), and a caller after a pause goes at once", async () => {
    let now = 0;
    const waits: number[] = [];
    const pacer = new AppPacer(50, { now: () => now, sleep: async (ms) => void waits.push(ms) });
    await pacer.acquire();
    await pacer.acquire();
    expect(waits).toEqual([1000 / 49]);
    now = 5000;
    await pacer.acquire();
    expect(waits).toHaveLength(1);
  });

  it("refuses a limit of zero or a share above one", () => {
    expect(() => new AppPacer(0)).toThrow(/perSecond/);
    expect(() => new AppPacer(30, { share: 1.5 })).toThrow(/share/);
  });
});
