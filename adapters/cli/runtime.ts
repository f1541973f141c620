import type { Logger } from "pino";
import type { Config } from "../../core/config/schema.ts";
import { type Environment, readEnvironment } from "../config/environment.ts";
import { loadConfig } from "../config/load.ts";
import { createLogger } from "../log/logger.ts";

export interface CliRuntime {
  readonly config: Config;
  readonly configFile?: string;
  readonly env: Environment;
  readonly logger: Logger;
}

/** Logs go to stdout for `serve`; commands whose stdout is their output log to stderr. */
export function cliRuntime(
  opts: { config?: string; port?: string },
  logTo: "stdout" | "stderr" = "stderr",
): CliRuntime {
  const base = readEnvironment(process.env);
  const env: Environment =
    opts.port === undefined ? base : readEnvironment({ ...process.env, PORT: opts.port });
  const { config, file } = loadConfig(opts.config ?? base.configFile);
  return {
    config,
    configFile: file,
    env,
    logger: createLogger({ destination: logTo === "stdout" ? process.stdout : process.stderr }),
  };
}
