import { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";
import { describeStoreContract } from "./store.contract.ts";

describeStoreContract("lowdb", async () => {
  const dir = await makeTmpDir("lowdb-contract");
  // a tiny compaction threshold, so the contract also runs across snapshots
  const open = async () => {
    const s = new LowdbTicketStore({ dir, compactAfterBytes: 16 * 1024 });
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
      await removeDir(dir);
    },
  };
});
