import { existsSync, readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { type Config, configSchema } from "../../core/config/schema.ts";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const DEFAULT_FILES = ["closeloop.config.json", "closeloop.config.yaml", "closeloop.config.yml"];

/** directory.people[2].roles[0] */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) =>
      typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
    "",
  );
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => `${keyPath(i.path) || "(root)"}: ${i.message}`);
}

/** The config file named by --config or CLOSELOOP_CONFIG, else the first default file present, else none. */
export function findConfigFile(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`config file not found: ${path}`);
    return path;
  }
  return DEFAULT_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
}

export function parseConfigText(text: string, file: string): Config {
  let raw: unknown;
  try {
    raw = extname(file) === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(
      `${file}: not valid ${extname(file) === ".json" ? "JSON" : "YAML"}: ${(e as Error).message}`,
    );
  }
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ConfigError(
      `${file}: invalid configuration\n  ${describeIssues(result.error.issues).join("\n  ")}`,
    );
  }
  return result.data;
}

export function loadConfig(
  explicit: string | undefined,
  cwd = process.cwd(),
): { config: Config; file?: string } {
  const file = findConfigFile(explicit, cwd);
  if (!file) return { config: configSchema.parse({}) };
  return { config: parseConfigText(readFileSync(file, "utf8"), file), file };
}
