import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Sql } from "postgres";

const DIR = join(import.meta.dirname, "migrations");

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrateResult {
  /** Versions applied by this call, in order. */
  readonly applied: readonly Migration[];
  /** The schema version now in force. */
  readonly version: number;
}

/** The versioned files under migrations/: NNNN_name.sql, applied in version order. */
export async function loadMigrations(dir = DIR): Promise<Migration[]> {
  const out: Migration[] = [];
  for (const file of (await readdir(dir)).sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) continue;
    const sql = await readFile(join(dir, file), "utf8");
    out.push({
      version: Number(m[1]),
      name: m[2]!,
      sql,
      checksum: createHash("sha256").update(sql).digest("hex"),
    });
  }
  return out;
}

/** A migration already applied whose file has changed since: never silently re-interpreted. */
export class MigrationChangedError extends Error {
  constructor(m: Migration) {
    super(
      `migration ${String(m.version).padStart(4, "0")}_${m.name} was changed after it was applied; add a new migration instead`,
    );
    this.name = "MigrationChangedError";
  }
}

/**
 * Applies the migrations not yet applied, each in its own transaction, holding an advisory lock for the
 * whole run: several instances starting at once apply each file exactly once, the others wait and find
 * nothing left to do.
 */
export async function migrate(sql: Sql, log: (line: string) => void = () => {}): Promise<MigrateResult> {
  const migrations = await loadMigrations();
  const conn = await sql.reserve();
  try {
    await conn`SELECT pg_advisory_lock(hashtext('closeloop.migrate'))`;
    try {
      await conn`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`;
      const done = new Map<number, string>();
      for (const row of await conn<{ version: number; checksum: string }[]>`
        SELECT version, checksum FROM schema_migrations`)
        done.set(row.version, row.checksum);
      const applied: Migration[] = [];
      for (const m of migrations) {
        const seen = done.get(m.version);
        if (seen !== undefined) {
          if (seen !== m.checksum) throw new MigrationChangedError(m);
          continue;
        }
        log(`applying ${String(m.version).padStart(4, "0")}_${m.name}`);
        await conn.unsafe("BEGIN");
        try {
          await conn.unsafe(m.sql).simple();
          await conn`INSERT INTO schema_migrations (version, name, checksum)
            VALUES (${m.version}, ${m.name}, ${m.checksum})`;
          await conn.unsafe("COMMIT");
        } catch (e) {
          await conn.unsafe("ROLLBACK").catch(() => undefined);
          throw e;
        }
        applied.push(m);
      }
      const version = Math.max(0, ...migrations.map((m) => m.version), ...done.keys());
      return { applied, version };
    } finally {
      await conn`SELECT pg_advisory_unlock(hashtext('closeloop.migrate'))`;
    }
  } finally {
    conn.release();
  }
}
