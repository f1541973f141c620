import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateKey, parseKey } from "../../core/privacy/cipher.ts";
import { ConfigError } from "./load.ts";

export interface KeySource {
  readonly key: Buffer;
  /** Set when sandbox mode made or reused a key file instead of CLOSELOOP_SECRET_KEY. */
  readonly generatedFile?: string;
}

/** CLOSELOOP_SECRET_KEY, or in sandbox mode a key kept in the data directory (never outside sandbox). */
export function resolveSecretKey(envKey: string | undefined, sandbox: boolean, dataDir: string): KeySource {
  if (envKey) {
    try {
      return { key: parseKey(envKey) };
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }
  if (!sandbox) {
    throw new ConfigError(
      "CLOSELOOP_SECRET_KEY is required outside sandbox mode: 32 bytes as 64 hex or 44 base64 characters (e.g. `openssl rand -base64 32`)",
    );
  }
  const file = join(dataDir, "secret.key");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${generateKey()}\n`, { mode: 0o600, flag: "wx" });
  }
  chmodSync(file, 0o600);
  return { key: parseKey(readFileSync(file, "utf8")), generatedFile: file };
}
