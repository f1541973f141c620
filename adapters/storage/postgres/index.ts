export { type MigrateResult, MigrationChangedError, migrate } from "./migrate.ts";
export { type PostgresStoreOptions, PostgresTicketStore } from "./store.ts";
