import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { table } from "./measure.ts";

/** One line of the benchmark table; `target` says what the figure is held to, `verdict` whether it holds. */
export interface Row {
  readonly part: string;
  readonly what: string;
  readonly conns?: number;
  readonly perSecond?: string;
  readonly p50?: string;
  readonly p99?: string;
  readonly note: string;
  readonly verdict?: "ok" | "BELOW" | "";
}

const HEADER = ["part", "what", "conns", "req/s", "p50 ms", "p99 ms", "target", "notes"];

export function render(rows: readonly Row[]): string {
  return table(
    HEADER,
    rows.map((r) => [
      r.part,
      r.what,
      r.conns === undefined ? "" : String(r.conns),
      r.perSecond ?? "",
      r.p50 ?? "",
      r.p99 ?? "",
      r.verdict ?? "",
      r.note,
    ]),
  );
}

export function machine(): string {
  const cpu = cpus();
  return [
    `${cpu.length} × ${cpu[0]?.model ?? "cpu"}`,
    `${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`,
    `Node ${process.version}`,
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")} (1/5/15 min)`,
  ].join(", ");
}

const RESULTS = new URL("../RESULTS.md", import.meta.url).pathname;
const BEGIN = (id: string) => `<!-- ${id}:begin -->`;
const END = (id: string) => `<!-- ${id}:end -->`;

/**
 * Writes the latest table of one benchmark into bench/RESULTS.md between its markers (a run of one part
 * replaces only that part's section), with the machine, the date and the command.
 */
export function writeResults(id: string, title: string, command: string, rows: readonly Row[]): void {
  let text: string;
  try {
    text = readFileSync(RESULTS, "utf8");
  } catch {
    text =
      "# Benchmark results\n\nWritten by the benchmarks themselves; see bench/README.md for what each measures.\n";
  }
  const section = [
    BEGIN(id),
    `## ${title}`,
    "",
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machine()}`,
    `- command: \`${command}\``,
    "",
    "```",
    ...render(rows)
      .split("\n")
      .map((line) => line.trimEnd()),
    "```",
    END(id),
  ].join("\n");
  const start = text.indexOf(BEGIN(id));
  const end = text.indexOf(END(id));
  text =
    start >= 0 && end > start
      ? text.slice(0, start) + section + text.slice(end + END(id).length)
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(RESULTS, text);
}

/** The command that ran this process, with the BENCH_* variables that shaped it. */
export function commandLine(script: string): string {
  const vars = Object.entries(process.env)
    .filter(([k]) => k.startsWith("BENCH_") && k !== "BENCH_SPEC")
    .map(([k, v]) => `${k}=${v}`);
  return [...vars, `npm run ${script}`].join(" ");
}

export const fixed = (v: number, digits = 1) => v.toFixed(digits);
