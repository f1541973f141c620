import { ConfigError } from "./load.ts";

/** Chat platforms whose credentials are present; none means sandbox mode. */
const PLATFORM_CREDENTIALS = {
  feishu: "FEISHU_APP_ID",
  dingtalk: "DINGTALK_CLIENT_ID",
  teams: "TEAMS_APP_ID",
} as const;

export interface Environment {
  readonly port: number;
  readonly dataDir: string;
  readonly configFile?: string;
  readonly secretKey?: string;
  readonly apiToken?: string;
  readonly platforms: readonly string[];
  readonly sandbox: boolean;
}

export function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const port = env.PORT === undefined || env.PORT === "" ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT: expected a port number 0-65535, got "${env.PORT}"`);
  }
  const apiToken = env.CLOSELOOP_API_TOKEN?.trim() || undefined;
  if (apiToken !== undefined && apiToken.length < 16) {
    throw new ConfigError("CLOSELOOP_API_TOKEN: expected at least 16 characters");
  }
  const platforms = Object.entries(PLATFORM_CREDENTIALS)
    .filter(([, key]) => (env[key] ?? "").trim() !== "")
    .map(([name]) => name);
  return {
    port,
    dataDir: env.CLOSELOOP_DATA_DIR?.trim() || "./data",
    configFile: env.CLOSELOOP_CONFIG?.trim() || undefined,
    secretKey: env.CLOSELOOP_SECRET_KEY?.trim() || undefined,
    apiToken,
    platforms,
    sandbox: platforms.length === 0,
  };
}
