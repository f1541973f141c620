import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { elevenDigitRuns, readCsv, readXlsx, xlsxText } from "./support/read-back.ts";

const BIN = join(import.meta.dirname, "../../bin/closeloop.js");
const dir = mkdtempSync(join(tmpdir(), "closeloop-export-cli-"));
const env = { CLOSELOOP_DATA_DIR: join(dir, "data") };
const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());

function run(args: string[]) {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(FEISHU|DINGTALK|TEAMS|CLOSELOOP)_|^PORT$/.test(k)) clean[k] = v;
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, cwd: dir });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  expect((await run(["seed-demo"])).code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each run starts a Node process and compiles TypeScript: slow on a busy machine, so the limits are generous.
describe("closeloop export", { timeout: 240_000 }, () => {
  it("keeps the old form working: CSV on stdout, zh-CN headings", async () => {
    const res = await run(["export"]);
    expect(res.code).toBe(0);
    expect(res.stdout.startsWith("\uFEFF工单号,客户,联系方式,")).toBe(true);
    expect(res.stdout.trim().split("\r\n")).toHaveLength(13);
    expect(res.stderr).toContain("closeloop export: 12 rows (records, csv)");
    // not a terminal: no progress bar
    expect(res.stderr).not.toMatch(/[█░]/);
  });

  it("writes XLSX (from the file name) for one department and a date range", async () => {
    const out = join(dir, "tech.xlsx");
    const res = await run([
      "export",
      "--out",
      out,
      "--department",
      "tech",
      "--from",
      "2000-01-01",
      "--to",
      today,
      "--locale",
      "en",
    ]);
    expect(res.code).toBe(0);
    const { rows } = await readXlsx(out);
    expect(rows[0]!.slice(0, 3)).toEqual(["Number", "Customer", "Contact"]);
    const body = rows.slice(1);
    expect(body.length).toBeGreaterThan(0);
    expect(body.length).toBeLessThan(12);
    for (const r of body) {
      expect(String(r[6])).toContain("Technical Support");
      expect(String(r[2] ?? "")).not.toMatch(/\d{11}/);
    }
    expect(elevenDigitRuns(xlsxText(out)).filter((d) => /^1[3-9]/.test(d))).toEqual([]);
    expect(res.stderr).toContain(`rows (records, xlsx) → ${out}`);
  });

  it("exports the follow-up table as CSV, and an empty range as just the headings", async () => {
    const out = join(dir, "follow-ups.csv");
    expect((await run(["export", "--table", "follow-ups", "--format", "csv", "--out", out])).code).toBe(0);
    const rows = await readCsv(out);
    expect(rows[0]).toEqual([
      "回访编号",
      "工单号",
      "客户",
      "回访时间",
      "回访方式",
      "解决效果评分",
      "服务态度评分",
      "客户建议",
      "改进措施",
      "回访人",
      "状态",
    ]);
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows.slice(1)) expect(r[0]).toMatch(/^CS\d+-F\d+$/);

    const empty = join(dir, "empty.csv");
    expect((await run(["export", "--from", "2000-01-01", "--to", "2000-01-31", "--out", empty])).code).toBe(
      0,
    );
    expect(readFileSync(empty, "utf8").trim().split("\r\n")).toHaveLength(1);
  });

  it("draws a progress bar on stderr when it is a terminal", async () => {
    // util-linux's `script` gives the command a pseudo-terminal (stdin, stdout and stderr are all that TTY)
    const out = join(dir, "tty.csv");
    const command = [process.execPath, BIN, "export", "--out", out].map((a) => `'${a}'`).join(" ");
    const res = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const clean: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env))
        if (v !== undefined && !/^(FEISHU|DINGTALK|TEAMS|CLOSELOOP)_|^PORT$/.test(k)) clean[k] = v;
      const child = spawn("script", ["-qec", command, "/dev/null"], { env: { ...clean, ...env }, cwd: dir });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.on("close", (code) => resolve({ code, output }));
    });
    expect(res.code).toBe(0);
    expect(res.output).toMatch(/export \|█+\| 12\/12 rows 100%/);
    expect(readFileSync(out, "utf8").trim().split("\r\n")).toHaveLength(13);
  });

  it("names the flag that is wrong and writes nothing", async () => {
    const cases: [string[], string][] = [
      [["--format", "pdf"], "--format"],
      [["--from", "2026-06-02", "--to", "2026-06-01"], "--from/--to"],
      [["--department", "nope"], "--department"],
    ];
    for (const [args, flag] of cases) {
      const out = join(dir, "never.csv");
      const res = await run(["export", "--out", out, ...args]);
      expect(res.code, args.join(" ")).toBe(78);
      expect(res.stderr).toContain(flag);
      expect(() => readFileSync(out)).toThrow();
    }
  });
});
