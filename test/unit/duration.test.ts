import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  DurationFormatError,
  durationSchema,
  durationStringSchema,
  formatDuration,
  parseDuration,
} from "../../core/sla/duration.ts";

const H = 3_600_000;
const M = 60_000;

describe("parseDuration", () => {
  it.each([
    ["PT2H", { days: 0, ms: 2 * H }],
    ["P3D", { days: 3, ms: 0 }],
    ["PT5S", { days: 0, ms: 5_000 }],
    ["P1DT2H30M", { days: 1, ms: 2 * H + 30 * M }],
    ["PT36H", { days: 0, ms: 36 * H }],
    ["PT0.5S", { days: 0, ms: 500 }],
    ["PT1,5H", { days: 0, ms: 1.5 * H }],
    ["PT1H0.25M", { days: 0, ms: H + 15_000 }],
    ["PT0S", { days: 0, ms: 0 }],
    [" pt30m ", { days: 0, ms: 30 * M }],
  ])("%s -> %o", (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  it.each([
    ["", "expected an ISO-8601 duration"],
    ["2H", "expected an ISO-8601 duration"],
    ["P", "no component"],
    ["PT", "T must be followed"],
    ["P1DT", "T must be followed"],
    ["P1Y", "years, months and weeks"],
    ["P2M", "years, months and weeks"],
    ["P1W", "years, months and weeks"],
    ["P1.5D", "days must be whole"],
    ["-PT1H", "negative"],
    ["PT1.5H30M", "only the last component"],
    ["PT0.0001S", "finer than a millisecond"],
    ["P40000D", "longer than 100 years"],
    ["PT2H30", "expected an ISO-8601 duration"],
  ])("refuses %j naming the value", (text, reason) => {
    expect(() => parseDuration(text)).toThrow(DurationFormatError);
    expect(() => parseDuration(text)).toThrow(`invalid duration "${text}"`);
    expect(() => parseDuration(text)).toThrow(reason);
  });
});

describe("formatDuration", () => {
  it.each([
    [{ days: 0, ms: 0 }, "PT0S"],
    [{ days: 3, ms: 0 }, "P3D"],
    [{ days: 0, ms: 2 * H }, "PT2H"],
    [{ days: 1, ms: 2 * H + 30 * M }, "P1DT2H30M"],
    [{ days: 0, ms: 36 * H + 5_250 }, "PT36H5.25S"],
    [{ days: 0, ms: 5_000 }, "PT5S"],
  ])("%o -> %s", (duration, text) => {
    expect(formatDuration(duration)).toBe(text);
  });

  it("refuses negative or fractional parts", () => {
    expect(() => formatDuration({ days: -1, ms: 0 })).toThrow(RangeError);
    expect(() => formatDuration({ days: 0, ms: 0.5 })).toThrow(RangeError);
  });

  it("round-trips through parseDuration", () => {
    fc.assert(
      fc.property(fc.nat(36_500), fc.nat(1_000 * H), (days, ms) => {
        const duration = { days, ms };
        expect(parseDuration(formatDuration(duration))).toEqual(duration);
      }),
    );
  });
});

describe("duration schemas", () => {
  const config = z.object({ firstResponse: durationSchema, window: durationStringSchema });

  it("parses to { days, ms } or keeps the string", () => {
    expect(config.parse({ firstResponse: "P1DT2H", window: "PT30M" })).toEqual({
      firstResponse: { days: 1, ms: 2 * H },
      window: "PT30M",
    });
  });

  it("names the key and the bad value", () => {
    const result = config.safeParse({ firstResponse: "2 hours", window: "P1M" });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toEqual([
      ["firstResponse", expect.stringContaining('invalid duration "2 hours"')],
      ["window", expect.stringContaining('invalid duration "P1M": years, months and weeks')],
    ]);
  });
});
