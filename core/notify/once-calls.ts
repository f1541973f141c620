import { createHash } from "node:crypto";
import { DocConflictError, type TicketStore } from "../ports.ts";

const ONCE_CALLS = "once-calls";
const PAGE = 500;

export type OnceCallPort = Pick<TicketStore, "putDoc" | "deleteDoc" | "listDocs">;

/**
 * Platform calls with no idempotency key that must not repeat (an urgent buzz, a DING): the call is written
 * down durably before it is made, and a retry of the same outbox row (after a crash, a timeout) finds the
 * claim and skips it. At most once on purpose: a crash in the middle of the call can cost that one buzz, while
 * the message it rides on (sent with its own idempotency key) still arrives exactly once. A buzz can be a
 * phone call; a second one for the same nudge is worse than none.
 */
export class OnceCalls {
  readonly #store: OnceCallPort;
  readonly #now: () => Date;

  constructor(store: OnceCallPort, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  /** True the first time for this key (the caller goes ahead), false ever after. */
  async claim(key: string): Promise<boolean> {
    try {
      await this.#store.putDoc(ONCE_CALLS, idOf(key), 0, { at: this.#now().toISOString() });
      return true;
    } catch (e) {
      if (e instanceof DocConflictError) return false;
      throw e;
    }
  }

  /** The platform refused the call outright (throttled, busy): a later retry may make it. */
  async release(key: string): Promise<void> {
    try {
      await this.#store.deleteDoc(ONCE_CALLS, idOf(key), 1);
    } catch (e) {
      if (!(e instanceof DocConflictError)) throw e;
    }
  }

  /** Drops claims older than `before` (their rows settled long ago); returns how many went. */
  async prune(before: Date): Promise<number> {
    const limit = before.toISOString();
    const stale: { id: string; rev: number }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#store.listDocs(ONCE_CALLS, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      for (const doc of page.items) if (doc.updatedAt < limit) stale.push(doc);
      cursor = page.nextCursor;
    } while (cursor);
    let dropped = 0;
    for (const doc of stale) {
      try {
        await this.#store.deleteDoc(ONCE_CALLS, doc.id, doc.rev);
        dropped += 1;
      } catch (e) {
        if (!(e instanceof DocConflictError)) throw e;
      }
    }
    return dropped;
  }
}

/** Hashed: outbox keys may be longer than a doc id may be, or carry characters it may not. */
function idOf(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
