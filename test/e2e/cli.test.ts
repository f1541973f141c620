import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const BIN = join(import.meta.dirname, "../../bin/closeloop.js");
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "closeloop-cli-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const cleanEnv = (extra: Record<string, string>) => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(FEISHU|DINGTALK|TEAMS|CLOSELOOP)_|^PORT$/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
};

function run(args: string[], env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env), cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (d: Buffer) => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m) resolve(m);
    };
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited ${code} before ${pattern}: ${seen}`)));
  });
}

describe("closeloop CLI", () => {
  it("serve starts in sandbox mode, says so in one line, serves /healthz and stops on SIGTERM", async () => {
    const dir = tmp();
    const child = spawn(process.execPath, [BIN, "serve"], {
      env: cleanEnv({ PORT: "0", CLOSELOOP_DATA_DIR: join(dir, "data") }),
      cwd: dir,
    });
    const [line, url] = await waitForLine(child, /sandbox mode.*API at (http:\/\/[\d.:]+)\/api\/v1.*\n/);
    expect(line.trim().split("\n")).toHaveLength(1);
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, mode: "sandbox" });
    const list = (await (await fetch(`${url}/api/v1/tickets`)).json()) as { items: unknown[] };
    expect(list.items.length).toBeGreaterThanOrEqual(12);
    const exit = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("export writes the service record table with masked contacts; doctor reports ok", async () => {
    const dir = tmp();
    const env = { CLOSELOOP_DATA_DIR: join(dir, "data") };
    const seeded = await run(["seed-demo"], env, dir);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout.trim().split("\n")).toHaveLength(12);
    const out = join(dir, "record.csv");
    const exported = await run(["export", "--out", out, "--locale", "en"], env, dir);
    expect(exported.code).toBe(0);
    const csv = readFileSync(out, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toContain(
      "Number,Customer,Contact,Product,Description,Priority,Department,Owner,Created,Due",
    );
    expect(lines).toHaveLength(13);
    expect(csv).toContain("138****8001");
    expect(csv).not.toMatch(/1[3-9]\d{9}/);
    const doctor = await run(["doctor"], env, dir);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/ok\s+storage/);
    expect(doctor.stdout).toContain("sandbox");
  });

  it("names the config key that is wrong and exits non-zero", async () => {
    const dir = tmp();
    const file = join(dir, "closeloop.config.json");
    writeFileSync(file, JSON.stringify({ numberPrefix: "cs-1", nudge: { window: "30 minutes" } }));
    const res = await run(["doctor"], { CLOSELOOP_DATA_DIR: join(dir, "data") }, dir);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("numberPrefix");
    expect(res.stderr).toContain("nudge.window");
  });

  it("refuses to start outside sandbox without a secret key", async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, "closeloop.config.yaml"),
      "directory:\n  departments: [{ id: tech, name: Tech, head: zhang }]\n  people: [{ id: zhang, name: Zhang, roles: [head], departments: [tech] }]\n",
    );
    const res = await run(
      ["serve"],
      { PORT: "0", FEISHU_APP_ID: "cli_x", CLOSELOOP_DATA_DIR: join(dir, "data") },
      dir,
    );
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("CLOSELOOP_SECRET_KEY");
  });
});
