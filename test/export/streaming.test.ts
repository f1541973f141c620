import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { writeExport } from "../../adapters/export/run-export.ts";
import { parseDayRange } from "../../core/export/range.ts";
import type { TicketQuery, TicketRecord } from "../../core/ports.ts";
import { fold } from "../../core/ticket/state.ts";
import { demoCreated, demoDirectory } from "../support/directory.ts";

/** A store of `n` generated tickets that lists them a page at a time, and counts the pages asked for. */
function generatedStore(n: number) {
  const records: TicketRecord[] = Array.from({ length: n }, (_, i) => {
    const events = [
      demoCreated({
        number: `CS${String(i).padStart(9, "0")}`,
        at: new Date(Date.parse("2026-06-30T00:00:00.000Z") - i * 60_000).toISOString(),
        description: `第 ${i} 张：${"很长的问题描述".repeat(20)}`,
      }),
    ];
    return { state: fold(events), events };
  });
  const store = {
    pages: 0,
    async list(q: TicketQuery) {
      store.pages++;
      const start = q.cursor ? Number(q.cursor) : 0;
      const items = records.slice(start, start + q.limit);
      return { items, ...(start + q.limit < n ? { nextCursor: String(start + q.limit) } : {}) };
    },
  };
  return store;
}

const request = (format: "csv" | "xlsx") => ({
  table: "records" as const,
  format,
  locale: "en" as const,
  timeZone: "Asia/Shanghai",
  filter: { range: parseDayRange({}, "Asia/Shanghai"), includeArchived: false },
});

/** A destination that takes `budget` bytes and then stops taking any (a client that stopped reading). */
function stalling(budget: number) {
  let taken = 0;
  const waiting: (() => void)[] = [];
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      taken += chunk.length;
      if (taken <= budget) done();
      else waiting.push(done);
    },
  });
  return { out, taken: () => taken };
}

describe("streaming an export", () => {
  for (const format of ["csv", "xlsx"] as const) {
    it(`${format}: stops reading the store while the destination does not take more`, async () => {
      const store = generatedStore(20_000);
      const { out, taken } = stalling(64 * 1024);
      const running = writeExport({ store, directory: demoDirectory() }, request(format), out);
      running.catch(() => undefined);
      // let it run until it has written what the destination takes and can go no further
      while (taken() === 0) await new Promise((r) => setTimeout(r, 20));
      let pages = -1;
      while (pages !== store.pages) {
        pages = store.pages;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(taken()).toBeGreaterThan(0);
      expect(store.pages).toBeLessThan(100); // of 100 pages: it waits, it does not read everything ahead
      // the client goes away: the export ends with an error instead of waiting forever
      out.destroy();
      await expect(running).rejects.toThrow(/destination closed/);
    });
  }

  it("xlsx: a complete export reaches a PassThrough (as an HTTP download does) and ends", async () => {
    const store = generatedStore(500);
    const body = new PassThrough();
    const chunks: Buffer[] = [];
    body.on("data", (c: Buffer) => chunks.push(c));
    expect(await writeExport({ store, directory: demoDirectory() }, request("xlsx"), body)).toBe(500);
    body.end();
    const bytes = Buffer.concat(chunks);
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
  });
});
