import { createHash } from "node:crypto";
import { DocConflictError, type OutboxItem, type TicketStore } from "../ports.ts";

/** The doc collection digests are written down in while they are being sent. */
export const DIGEST_CLAIMS = "outbox-digests";

export type ClaimPort = Pick<TicketStore, "putDoc" | "deleteDoc" | "listDocs">;

export interface DigestClaim {
  readonly id: string;
  readonly rev: number;
  /** The rows as they went, in the order they went: the platform's idempotency key is made of them. */
  readonly items: readonly OutboxItem[];
}

/**
 * Digests written down before they are sent. A digest's rows are settled one by one after the platform took
 * it; a server killed in between leaves some unsettled, and sent again with whatever else is due by then they
 * would make a new digest under a new idempotency key: the person would see the same alerts twice. So the rows
 * of a digest are recorded first (one doc), and until every one is settled they go again together, as they
 * went, and the platform recognises the message.
 */
export class DigestClaims {
  readonly #store: ClaimPort;
  readonly #byId = new Map<string, DigestClaim>();
  readonly #byKey = new Map<string, string>();

  constructor(store: ClaimPort) {
    this.#store = store;
  }

  /** Reads the digests a previous process wrote down and did not finish. */
  async load(): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.#store.listDocs(DIGEST_CLAIMS, { limit: 200, cursor });
      for (const doc of page.items) {
        const items = doc.data.items as OutboxItem[] | undefined;
        if (Array.isArray(items) && items.length > 0) this.#remember({ id: doc.id, rev: doc.rev, items });
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** The unfinished digest any of these rows went in. */
  of(rows: readonly OutboxItem[]): DigestClaim | undefined {
    for (const row of rows) {
      const id = this.#byKey.get(row.key);
      if (id !== undefined) return this.#byId.get(id);
    }
    return undefined;
  }

  /** Writes a digest down (durably) before it is sent. */
  async write(items: readonly OutboxItem[]): Promise<DigestClaim> {
    const id = createHash("sha256")
      .update(items.map((i) => i.key).join("\n"))
      .digest("hex");
    let claim: DigestClaim;
    try {
      const doc = await this.#store.putDoc(DIGEST_CLAIMS, id, 0, { items: items.map((i) => ({ ...i })) });
      claim = { id, rev: doc.rev, items };
    } catch (e) {
      if (!(e instanceof DocConflictError) || !e.current) throw e;
      claim = { id, rev: e.current.rev, items };
    }
    this.#remember(claim);
    return claim;
  }

  /** Every row of the digest is settled: it is finished. */
  async done(claim: DigestClaim): Promise<void> {
    try {
      await this.#store.deleteDoc(DIGEST_CLAIMS, claim.id, claim.rev);
    } catch (e) {
      if (!(e instanceof DocConflictError)) throw e;
    }
    this.#byId.delete(claim.id);
    for (const item of claim.items) if (this.#byKey.get(item.key) === claim.id) this.#byKey.delete(item.key);
  }

  #remember(claim: DigestClaim): void {
    this.#byId.set(claim.id, claim);
    for (const item of claim.items) this.#byKey.set(item.key, claim.id);
  }
}
