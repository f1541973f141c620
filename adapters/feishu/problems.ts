import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A configuration problem Feishu reported at run time, kept so `closeloop doctor` can show it too. */
export interface FeishuProblem {
  readonly code: number;
  readonly call: string;
  readonly fix: string;
  readonly at: string;
}

const FILE = "feishu-problems.json";
export const dataDirOf = (env: NodeJS.ProcessEnv): string => env.CLOSELOOP_DATA_DIR?.trim() || "./data";

export function readProblems(dataDir: string): FeishuProblem[] {
  try {
    return JSON.parse(readFileSync(join(dataDir, FILE), "utf8")) as FeishuProblem[];
  } catch {
    return [];
  }
}

/** Adds one problem per code (the latest wins); best effort, never throws. */
export function recordProblem(dataDir: string, problem: FeishuProblem): void {
  try {
    const rest = readProblems(dataDir).filter((p) => p.code !== problem.code);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, FILE), JSON.stringify([...rest, problem], null, 2));
  } catch {
    // The log line already carries the problem.
  }
}

/** Forgets what was reported (after a clean start: the setup was fixed). */
export function clearProblems(dataDir: string): void {
  try {
    writeFileSync(join(dataDir, FILE), "[]");
  } catch {}
}
