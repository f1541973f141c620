import { buildCloseloop } from "../../main.ts";
import type { DoctorCheck } from "../platform-module.ts";
import { PLATFORM_MODULES } from "../platforms.ts";
import { describeStorage, storageEnvironment } from "../storage/select.ts";
import { cliRuntime } from "./runtime.ts";

type Check = DoctorCheck;

/** Checks config, storage and which platforms are configured, one line each; exits non-zero on a failure. */
export async function doctor(opts: { config?: string }): Promise<number> {
  const checks: Check[] = [];
  const rt = cliRuntime(opts);
  checks.push({ name: "config", ok: true, detail: rt.configFile ?? "no file; built-in defaults" });
  checks.push({
    name: "mode",
    ok: true,
    detail: rt.env.sandbox
      ? "sandbox (no platform credentials) / 沙盒模式"
      : `live: ${rt.env.platforms.join(", ")}`,
  });
  checks.push({
    name: "secret key",
    ok: rt.env.secretKey !== undefined || rt.env.sandbox,
    detail: rt.env.secretKey
      ? "CLOSELOOP_SECRET_KEY set"
      : "CLOSELOOP_SECRET_KEY missing (sandbox generates one)",
  });
  checks.push({
    name: "api token",
    ok: true,
    detail: rt.env.apiToken
      ? "CLOSELOOP_API_TOKEN set"
      : "not set: only board sessions (and sandbox loopback) may call the API",
  });
  try {
    const where = describeStorage({ ...storageEnvironment(process.env), dataDir: rt.env.dataDir });
    const cl = await buildCloseloop(rt);
    const page = await cl.store.list({ limit: 1 });
    checks.push({
      name: "storage",
      ok: true,
      detail: `${where} opens (${page.items.length ? "has tickets" : "empty"})`,
    });
    checks.push({
      name: "directory",
      ok: true,
      detail: `${cl.directory.people().length} people, ${cl.directory.departments().length} departments`,
    });
    await cl.close();
  } catch (e) {
    checks.push({ name: "storage", ok: false, detail: (e as Error).message });
  }
  for (const m of PLATFORM_MODULES)
    if (m.enabled(process.env) && m.doctor) checks.push(...(await m.doctor(process.env)));
  for (const c of checks)
    process.stdout.write(`${c.ok ? "ok  " : "FAIL"} ${c.name.padEnd(11)} ${c.detail}\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}
