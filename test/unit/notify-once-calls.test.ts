import { afterEach, describe, expect, it } from "vitest";
import { LowdbTicketStore } from "../../adapters/storage/lowdb/store.ts";
import { OnceCalls } from "../../core/notify/once-calls.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";

describe("calls made at most once per outbox row (buzz, DING)", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await removeDir(dir);
    dir = undefined;
  });

  it("claims a key once, also after the store is closed and opened again", async () => {
    dir = await makeTmpDir("once-calls");
    const first = new LowdbTicketStore({ dir });
    await first.open();
    const once = new OnceCalls(first);
    expect(await once.claim("buzz:nudge:TK2026110001:1")).toBe(true);
    expect(await once.claim("buzz:nudge:TK2026110001:1")).toBe(false);
    expect(await once.claim("buzz:nudge:TK2026110001:2")).toBe(true);
    await first.close();

    const reopened = new LowdbTicketStore({ dir });
    await reopened.open();
    try {
      expect(await new OnceCalls(reopened).claim("buzz:nudge:TK2026110001:1")).toBe(false);
    } finally {
      await reopened.close();
    }
  });

  it("accepts keys a doc id could not hold (long, spaces, slashes)", async () => {
    dir = await makeTmpDir("once-calls");
    const store = new LowdbTicketStore({ dir });
    await store.open();
    try {
      const once = new OnceCalls(store);
      const key = `ding:${"x/y z".repeat(100)}`;
      expect(await once.claim(key)).toBe(true);
      expect(await once.claim(key)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("a released claim (the platform refused outright) may be made again", async () => {
    dir = await makeTmpDir("once-calls");
    const store = new LowdbTicketStore({ dir });
    await store.open();
    try {
      const once = new OnceCalls(store);
      expect(await once.claim("ding:a")).toBe(true);
      await once.release("ding:a");
      expect(await once.claim("ding:a")).toBe(true);
      expect(await once.claim("ding:a")).toBe(false);
      await once.release("never-claimed");
    } finally {
      await store.close();
    }
  });

  it("prunes only the claims older than the cut-off", async () => {
    dir = await makeTmpDir("once-calls");
    let now = new Date("2026-11-01T00:00:00Z");
    const store = new LowdbTicketStore({ dir, clock: { now: () => now } });
    await store.open();
    try {
      const once = new OnceCalls(store, () => now);
      for (let i = 0; i < 3; i++) await once.claim(`old:${i}`);
      now = new Date("2026-12-05T00:00:00Z");
      await once.claim("new:0");
      expect(await once.prune(new Date("2026-11-20T00:00:00Z"))).toBe(3);
      expect(await once.claim("old:1")).toBe(true);
      expect(await once.claim("new:0")).toBe(false);
      expect(await once.prune(new Date("2026-11-20T00:00:00Z"))).toBe(0);
    } finally {
      await store.close();
    }
  });
});
