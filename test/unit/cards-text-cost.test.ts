import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { t, templateParts } from "../../cards/i18n/index.ts";
import { formatTime } from "../../cards/model/format.ts";
import { nextDeadline } from "../../cards/model/sla.ts";
import { memoText } from "../../cards/text/memo.ts";
import { bytes, fitsBytes } from "../../cards/text/size.ts";

const encoder = new TextEncoder();

describe("card text helpers that skip work", () => {
  it("counts UTF-8 bytes exactly as the encoder does, lone surrogates included", () => {
    const unit = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.string({ unit: "binary" }),
      fc
        .array(fc.integer({ min: 0xd7f0, max: 0xe010 }), { maxLength: 20 })
        .map((codes) => String.fromCharCode(...codes)),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 5 }), (pieces) => {
        const text = pieces.join("");
        expect(bytes(text)).toBe(encoder.encode(text).length);
      }),
      { numRuns: 2000 },
    );
    expect(bytes("工单 ✓ 😀")).toBe(encoder.encode("工单 ✓ 😀").length);
  });

  it("decides whether a text fits a byte limit as the exact count does", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })),
        fc.integer({ min: 0, max: 40 }),
        (text, limit) => {
          expect(fitsBytes(text, limit)).toBe(bytes(text) <= limit);
        },
      ),
      { numRuns: 3000 },
    );
    expect(fitsBytes("工单".repeat(10), 60)).toBe(true);
    expect(fitsBytes("工单".repeat(10), 59)).toBe(false);
  });

  it("fills message parameters from templates split once: given, missing and inherited names", () => {
    expect(t("en", "ticket.title", { number: "CS1" })).toBe("Ticket CS1");
    expect(t("en", "ticket.title", { number: "CS2" })).toBe("Ticket CS2");
    expect(t("zh-CN", "duration.hours", { n: 3 })).toContain("3");
    expect(t("en", "ticket.title")).toBe("Ticket {number}");
    expect(t("en", "ticket.title", Object.create({ number: "inherited" }))).toBe("Ticket {number}");
    expect(templateParts("en", "timeline.omitted")).toEqual([
      { literal: "(" },
      { param: "n" },
      { literal: " earlier entries are on the board)" },
    ]);
  });

  it("picks the earliest open deadline, the first named on a tie, skipping unreadable ones", () => {
    const due = { firstResponse: "2026-11-20T10:00:00Z", update: "2026-11-20T09:00:00Z", resolution: "bad" };
    expect(nextDeadline({ status: "pending", due })).toEqual({ target: "update", due: due.update });
    expect(nextDeadline({ status: "pending", due: { ...due, update: due.firstResponse } })?.target).toBe(
      "firstResponse",
    );
    expect(nextDeadline({ status: "pending", due, firstResponseAt: "2026-11-20T08:00:00Z" })?.target).toBe(
      "update",
    );
    expect(nextDeadline({ status: "in_progress", due: { resolution: "bad" } })).toBeUndefined();
    expect(nextDeadline({ status: "resolved", due })).toBeUndefined();
  });

  it("answers a kept text from the table, leaves long texts out, and starts over when full", () => {
    const calls: string[] = [];
    const upper = memoText(
      (t) => {
        calls.push(t);
        return t.toUpperCase();
      },
      3,
      10,
    );
    expect([upper("a"), upper("a"), upper("b")]).toEqual(["A", "A", "B"]);
    expect(calls).toEqual(["a", "b"]);
    const long = "x".repeat(11);
    expect([upper(long), upper(long)]).toEqual([long.toUpperCase(), long.toUpperCase()]);
    expect(calls.filter((c) => c === long)).toHaveLength(2);
    upper("c");
    upper("d"); // the table held 3: it starts over with "d"
    upper("a");
    expect(calls.slice(-3)).toEqual(["c", "d", "a"]);
  });

  it("formats a time as the zone's own calendar says, with the year only when it is not now's", () => {
    const zones = ["Asia/Shanghai", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC"];
    const parts = (ms: number, zone: string) =>
      Object.fromEntries(
        new Intl.DateTimeFormat("en-CA", {
          timeZone: zone,
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23",
        })
          .formatToParts(ms)
          .map((p) => [p.type, p.value]),
      );
    const moment = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
    fc.assert(
      fc.property(moment, moment, fc.constantFrom(...zones), (at, now, zone) => {
        const p = parts(at, zone);
        const text = `${p.month}-${p.day} ${p.hour}:${p.minute}`;
        const expected = p.year === parts(now, zone).year ? text : `${p.year}-${text}`;
        const ctx = { timeZone: zone, now: new Date(now) } as Parameters<typeof formatTime>[1];
        expect(formatTime(new Date(at).toISOString(), ctx)).toBe(expected);
        // a second time from the table: the same
        expect(formatTime(new Date(at).toISOString(), ctx)).toBe(expected);
      }),
      { numRuns: 1500 },
    );
    expect(formatTime("not a time", { now: new Date() } as Parameters<typeof formatTime>[1])).toBe(
      "not a time",
    );
  });
});
