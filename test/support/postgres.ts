import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** The server tests use: CLOSELOOP_TEST_DATABASE_URL, or the local one CI starts (trust auth, user postgres). */
export const PG_ADMIN_URL =
  process.env.CLOSELOOP_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const HOW =
  "start PostgreSQL (pg_ctlcluster <version> main start) or point CLOSELOOP_TEST_DATABASE_URL at a server";

/** `url` with its database replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function reachable(): Promise<string | undefined> {
  const sql = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return undefined;
  } catch (e) {
    return (e as Error).message || String(e);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

let checked: Promise<string | undefined> | undefined;

/**
 * Whether tests that need PostgreSQL can run. With CI=true a missing server is a failure (this throws);
 * elsewhere the suite is skipped with one line saying how to enable it.
 */
export async function postgresAvailable(suite: string): Promise<boolean> {
  checked ??= reachable();
  const problem = await checked;
  if (problem === undefined) return true;
  const line = `PostgreSQL not reachable at ${PG_ADMIN_URL} (${problem}): ${suite}`;
  if (process.env.CI === "true" || process.env.CI === "1") throw new Error(`${line}. CI needs it: ${HOW}.`);
  console.warn(`skipped: ${line}. To run it, ${HOW}.`);
  return false;
}

export interface ThrowAwayDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test server, named for this run; drop() removes it. */
export async function throwAwayDatabase(label: string): Promise<ThrowAwayDatabase> {
  const name = `closeloop_${label}_${process.pid}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  return {
    name,
    url: withDatabase(PG_ADMIN_URL, name),
    async drop() {
      const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}
