import { describe, expect, it } from "vitest";
import { AppPacer } from "../../adapters/feishu/limiter.ts";

describe("Feishu app-wide send pacer", () => {
  it("lets `perSecond` calls through at once, then one more each time the oldest leaves the second", async () => {
    let now = 0;
    const slept: number[] = [];
    const pacer = new AppPacer(3, {
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    const times: number[] = [];
    await Promise.all(Array.from({ length: 7 }, () => pacer.acquire().then(() => times.push(now))));
    expect(times).toEqual([0, 0, 0, 1005, 1005, 1005, 2010]);
    // in call order, never more than 3 inside any second
    for (const t of times) expect(times.filter((u) => u > t - 1000 && u <= t).length).toBeLessThanOrEqual(3);
    expect(slept).toEqual([1005, 1005]);
  });
});
