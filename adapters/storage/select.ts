import type { Clock, TicketStore } from "../../core/ports.ts";
import { ConfigError } from "../config/load.ts";
import { LowdbTicketStore } from "./lowdb/index.ts";
import { PostgresTicketStore } from "./postgres/index.ts";

export interface StorageChoice {
  /** postgres://… selects PostgreSQL; unset keeps the embedded store in `dataDir`. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  /** PostgreSQL: how long work an instance claimed stays its own if it dies (CLOSELOOP_LEASE_MS). */
  readonly leaseMs?: number;
  readonly clock: Clock;
  readonly onBackgroundError: (error: unknown) => void;
}

/** DATABASE_URL and CLOSELOOP_LEASE_MS from the environment, checked. */
export function storageEnvironment(env: NodeJS.ProcessEnv): Pick<StorageChoice, "databaseUrl" | "leaseMs"> {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError("DATABASE_URL: expected postgres://user:password@host:port/database");
  const rawLease = env.CLOSELOOP_LEASE_MS?.trim();
  const leaseMs = rawLease ? Number(rawLease) : undefined;
  if (leaseMs !== undefined && !(Number.isInteger(leaseMs) && leaseMs > 0))
    throw new ConfigError(
      `CLOSELOOP_LEASE_MS: expected a positive whole number of milliseconds, got "${rawLease}"`,
    );
  return { ...(databaseUrl ? { databaseUrl } : {}), ...(leaseMs ? { leaseMs } : {}) };
}

/** Opens the store the deployment asked for: PostgreSQL when DATABASE_URL is set, else the embedded one. */
export async function openStore(choice: StorageChoice): Promise<TicketStore> {
  const store = choice.databaseUrl
    ? new PostgresTicketStore({
        url: choice.databaseUrl,
        clock: choice.clock,
        ...(choice.leaseMs ? { leaseMs: choice.leaseMs } : {}),
        onBackgroundError: choice.onBackgroundError,
      })
    : new LowdbTicketStore({
        dir: choice.dataDir,
        clock: choice.clock,
        onBackgroundError: choice.onBackgroundError,
      });
  await store.open();
  return store;
}

/** A line for logs and `doctor`: which store, where (never the password). */
export function describeStorage(choice: Pick<StorageChoice, "databaseUrl" | "dataDir">): string {
  if (!choice.databaseUrl) return `lowdb at ${choice.dataDir}`;
  const u = new URL(choice.databaseUrl);
  return `postgres at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
