import postgres from "postgres";
import { afterAll, describe, it } from "vitest";
import { PostgresTicketStore } from "../../adapters/storage/postgres/index.ts";
import { postgresAvailable, type ThrowAwayDatabase, throwAwayDatabase } from "../support/postgres.ts";
import { describeStoreContract } from "./store.contract.ts";

const available = await postgresAvailable("the PostgreSQL store contract");

if (!available) {
  describe("TicketStore contract: postgres", () => it.skip("needs a PostgreSQL server"));
} else {
  let db: ThrowAwayDatabase | undefined;
  let schemas = 0;
  afterAll(async () => {
    await db?.drop();
  });

  describeStoreContract("postgres", async () => {
    db ??= await throwAwayDatabase("contract");
    const url = db.url;
    // one schema per test: fresh tables without the cost of a database each
    const schema = `contract_${++schemas}`;
    const open = async () => {
      const s = new PostgresTicketStore({ url, schema, max: 4 });
      await s.open();
      return s;
    };
    let store = await open();
    return {
      get store() {
        return store;
      },
      async reopen() {
        await store.close();
        store = await open();
        return store;
      },
      async dispose() {
        await store.close();
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        await sql.unsafe(`DROP SCHEMA "${schema}" CASCADE`);
        await sql.end();
      },
    };
  });
}
