import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvField, csvRow } from "../../adapters/export/csv.ts";
import { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import { isDomainError } from "../../core/errors.ts";
import { exportDepartments, exportScope } from "../../core/export/access.ts";
import { spreadsheetText } from "../../core/export/cells.ts";
import { FOLLOW_UP_TABLE } from "../../core/export/follow-up-table.ts";
import { parseDayRange } from "../../core/export/range.ts";
import { RECORD_TABLE } from "../../core/export/record-table.ts";
import { type ExportFilter, exportTickets } from "../../core/export/select.ts";
import type { TicketQuery, TicketRecord } from "../../core/ports.ts";
import { demoDirectory } from "../support/directory.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";
import { type SeededTicket, seedTickets } from "./support/seed.ts";

const TZ = "Asia/Shanghai";
const directory = demoDirectory();
let dir: string;
let store: LowdbTicketStore;
let seeded: SeededTicket[];

beforeAll(async () => {
  dir = await makeTmpDir("export-filters");
  store = new LowdbTicketStore({ dir: join(dir, "data") });
  await store.open();
  // ticket i is created i hours before 2026-07-01 00:00 in Shanghai
  seeded = await seedTickets(store, 600);
});
afterAll(async () => {
  await store.close();
  await removeDir(dir);
});

async function run(table = RECORD_TABLE, filter: Partial<ExportFilter> = {}) {
  const lists: TicketQuery[] = [];
  const counted = {
    list: (q: TicketQuery) => {
      lists.push(q);
      return store.list(q);
    },
  };
  const out: TicketRecord[] = [];
  const full = { range: parseDayRange({}, TZ), includeArchived: false, ...filter };
  for await (const r of exportTickets(counted, table, full)) out.push(r);
  return { numbers: out.map((r) => r.state.number), records: out, lists };
}

const numbersWhere = (f: (t: SeededTicket, i: number) => boolean) => seeded.filter(f).map((t) => t.number);

describe("which tickets an export covers", () => {
  it("a day range covers whole local days, both ends included, and stops reading at its start", async () => {
    const { numbers, lists } = await run(RECORD_TABLE, {
      range: parseDayRange({ from: "2026-06-30", to: "2026-06-30" }, TZ),
    });
    // created 23:00 on 06-30 (i = 1) down to 00:00 on 06-30 (i = 24); 00:00 on 07-01 (i = 0) is the next day
    const expected = numbersWhere((_t, i) => i >= 1 && i <= 24);
    expect(numbers.sort()).toEqual(expected.sort());
    expect(lists).toHaveLength(1);

    const all = await run();
    expect(all.numbers).toHaveLength(600);
    expect(all.lists.length).toBeGreaterThanOrEqual(3);
  });

  it("an open-ended range and a department filter combine", async () => {
    const { numbers } = await run(RECORD_TABLE, {
      range: parseDayRange({ from: "2026-06-28" }, TZ),
      department: "returns",
    });
    const fromInstant = Date.parse("2026-06-27T16:00:00.000Z");
    const expected = numbersWhere(
      (t) => t.department === "returns" && Date.parse(t.createdAt) >= fromInstant,
    );
    expect(expected.length).toBeGreaterThan(5);
    expect(numbers.sort()).toEqual(expected.sort());
  });

  it("a head's scope leaves out the departments they do not answer for", async () => {
    const { numbers } = await run(RECORD_TABLE, { allowed: new Set(["tech", "logistics"]) });
    expect(numbers.sort()).toEqual(numbersWhere((t) => ["tech", "logistics"].includes(t.department)).sort());
  });

  it("the follow-up table has resolved tickets only, filtered by the follow-up time", async () => {
    const all = await run(FOLLOW_UP_TABLE);
    expect(all.numbers.sort()).toEqual(numbersWhere((t) => t.resolved).sort());
    expect(all.lists.every((q) => q.status?.join() === "resolved")).toBe(true);
    // ticket i is surveyed 4 hours after creation: the range follows that time, not the creation
    const { records } = await run(FOLLOW_UP_TABLE, {
      range: parseDayRange({ from: "2026-07-01", to: "2026-07-01" }, TZ),
    });
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      const at = r.state.survey?.at ?? r.state.resolvedAt!;
      expect(Date.parse(at)).toBeGreaterThanOrEqual(Date.parse("2026-06-30T16:00:00.000Z"));
    }
    expect(records.some((r) => Date.parse(r.state.createdAt) < Date.parse("2026-06-30T16:00:00.000Z"))).toBe(
      true,
    );
  });
});

describe("date ranges", () => {
  const refusal = (input: { from?: string; to?: string }) => {
    try {
      parseDayRange(input, TZ);
    } catch (e) {
      if (isDomainError(e)) return e;
      throw e;
    }
    throw new Error("accepted");
  };

  it("are local days in the configured zone", () => {
    const r = parseDayRange({ from: "2026-06-01", to: "2026-06-30" }, TZ);
    expect(new Date(r.from!).toISOString()).toBe("2026-05-31T16:00:00.000Z");
    expect(new Date(r.to!).toISOString()).toBe("2026-06-30T16:00:00.000Z");
    const ny = parseDayRange({ from: "2026-03-08", to: "2026-03-08" }, "America/New_York");
    expect(ny.to! - ny.from!).toBe(23 * 3_600_000);
  });

  it("refuse malformed and impossible dates and backwards ranges, naming the field", () => {
    expect(refusal({ from: "2026-02-30" }).details.issues).toEqual([
      { field: "from", message: expect.stringContaining("YYYY-MM-DD") },
    ]);
    expect(refusal({ to: "30/06/2026" }).text.en).toContain("to");
    expect(refusal({ from: "2026-07-01", to: "2026-06-01" }).text["zh-CN"]).toContain("晚于");
  });
});

describe("cells from customer text", () => {
  it("cannot become formulas, lose XML-breaking control characters, and never show a raw phone", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
      expect(spreadsheetText(`${start}SUM(A1:A9)`)).toBe(`'${start}SUM(A1:A9)`);
    expect(spreadsheetText("X200 = broken")).toBe("X200 = broken");
    expect(spreadsheetText("a\u0000b\u0007c\u001Fd\te")).toBe("abcd\te");
    expect(spreadsheetText("请回电 13812345678 谢谢")).toBe("请回电 138****5678 谢谢");
    expect(spreadsheetText("\u0000=1+1")).toBe("'=1+1");
  });

  it("are quoted in CSV when they hold commas, quotes or line breaks", () => {
    expect(csvField('说 "好", 然后\r\n走')).toBe('"说 ""好"", 然后\r\n走"');
    expect(
      csvRow(["=cmd|' /C calc'!A0", 5, undefined, { wall: Date.parse("2026-06-01T09:05:00.000Z") }]),
    ).toBe("'=cmd|' /C calc'!A0,5,,2026-06-01 09:05\r\n");
  });
});

describe("who may export", () => {
  const person = (id: string) => directory.person(id)!;

  it("admins everything, heads the departments under them, nobody else", () => {
    expect(exportScope(directory, person("admin"))).toBe("all");
    expect([...(exportScope(directory, person("head-support")) as Set<string>)].sort()).toEqual([
      "billing",
      "complaints",
      "logistics",
      "returns",
      "support",
      "tech",
    ]);
    expect([...(exportScope(directory, person("head-tech")) as Set<string>)]).toEqual(["tech"]);
    expect(() => exportScope(directory, person("agent-li"))).toThrow(/department heads and admins/);
    expect(() => exportScope(directory, person("eng-liu"))).toThrow(/department heads and admins/);
  });

  it("a department outside the scope is refused, an unknown one named", () => {
    const tech = exportScope(directory, person("head-tech"));
    expect(exportDepartments(directory, tech, "tech")).toEqual({ department: "tech" });
    expect(exportDepartments(directory, tech, undefined)).toEqual({ allowed: new Set(["tech"]) });
    expect(() => exportDepartments(directory, tech, "returns")).toThrow(/may not export/);
    expect(() => exportDepartments(directory, "all", "nope")).toThrow(/No department "nope"/);
  });
});
