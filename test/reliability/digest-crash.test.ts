/**
 * Found by crash.test.ts: a digest (several alerts for one person in one message) is idempotent on the
 * platform only through a key made of its rows' keys. Killed after the platform took it but before every row
 * was settled, the next server sent what was left, with the alerts that had arrived meanwhile, as a new
 * digest under a new key: the person saw the same alerts twice. Here on the real embedded store, the kill
 * between two settles made exact.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LowdbTicketStore } from "../../adapters/storage/lowdb/index.ts";
import { OutboxDispatcher, type OutboxPort } from "../../core/notify/dispatcher.ts";
import type {
  DeliveryOutcome,
  NotificationSink,
  OutboxIntent,
  OutboxItem,
  OutboxOutcome,
} from "../../core/ports.ts";
import { makeTmpDir, removeDir } from "../support/tmp-dir.ts";

/** A platform that keys each message as Feishu's and DingTalk's adapters do, and shows a key once. */
class KeyedPlatform implements NotificationSink {
  readonly messages: { key: string; rows: string[] }[] = [];

  async deliver(_recipient: string, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const keys = items.map((i) => i.key);
    const key = keys.length === 1 ? keys[0]! : `digest:${keys.join("|")}`;
    if (!this.messages.some((m) => m.key === key)) this.messages.push({ key, rows: keys });
    return { ok: true };
  }

  /** How many messages showed each row. */
  shown(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of this.messages) for (const r of m.rows) out[r] = (out[r] ?? 0) + 1;
    return out;
  }
}

/** The store as a process sees it that is killed at its `n`-th settle (calls after that never answer). */
function dyingAt(store: LowdbTicketStore, n: number): OutboxPort {
  let settles = 0;
  let dead = false;
  const never = new Promise<never>(() => {});
  const port: OutboxPort = {
    dueOutbox: (now, limit) => (dead ? never : store.dueOutbox(now, limit)),
    onChange: (l) => store.onChange(l),
    settleOutbox: (key: string, outcome: OutboxOutcome) => {
      if (dead || ++settles >= n) {
        dead = true;
        return never;
      }
      return store.settleOutbox(key, outcome);
    },
    putDoc: (...a) => (dead ? never : store.putDoc(...a)),
    deleteDoc: (...a) => (dead ? never : store.deleteDoc(...a)),
    listDocs: (...a) => (dead ? never : store.listDocs(...a)),
  };
  return port;
}

const alert = (key: string): OutboxIntent => ({
  key,
  kind: "overdue_alert",
  recipient: "head-tech",
  ticket: "CS2026110001",
  payload: {},
});

const clock = { now: () => new Date() };

describe("a digest whose rows were not all settled when the server died", () => {
  let dir: string;
  let store: LowdbTicketStore;
  beforeEach(async () => {
    dir = await makeTmpDir("digest-crash");
    store = new LowdbTicketStore({ dir });
    await store.open();
  });
  afterEach(async () => {
    await store.close();
    await removeDir(dir);
  });

  it("is sent again as it was (same rows, same key), and the alerts that came meanwhile go after it", async () => {
    const platform = new KeyedPlatform();
    await store.enqueue([alert("a1"), alert("a2"), alert("a3")]);
    const first = new OutboxDispatcher({
      store: dyingAt(store, 2),
      sink: platform,
      clock,
      options: { digestWindowMs: 0 },
    });
    void first.runOnce();
    // the platform showed a1, a2, a3 together; the server settled a1 and died settling a2
    for (let i = 0; i < 200 && platform.messages.length === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(platform.messages).toEqual([{ key: "digest:a1|a2|a3", rows: ["a1", "a2", "a3"] }]);

    await store.enqueue([alert("a4")]);
    const next = new OutboxDispatcher({ store, sink: platform, clock, options: { digestWindowMs: 0 } });
    for (let i = 0; i < 3; i++) await next.runOnce();

    expect(await store.dueOutbox("9999-12-31T00:00:00.000Z", 100)).toEqual([]);
    expect(platform.shown()).toEqual({ a1: 1, a2: 1, a3: 1, a4: 1 });
  });
});
