export { StoreClosedError, StoreCorruptError, StoreFailedError, StoreLockedError } from "./errors.ts";
export type { LowdbStoreOptions, LowdbStoreStats } from "./store.ts";
export { LowdbTicketStore } from "./store.ts";
