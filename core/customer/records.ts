import type { TicketStore } from "../ports.ts";
import { DocConflictError } from "../ports.ts";
import {
  COLLECTIONS,
  codeDocSchema,
  type LinkHistoryEntry,
  type LinkKind,
  MAX_HISTORY,
  readDoc,
  type TicketLinks,
  type TokenDoc,
  ticketLinksSchema,
  tokenDocSchema,
} from "./docs.ts";
import { type LinkSecrets, normaliseCode, TOKEN } from "./secrets.ts";

export const RETRIES = 5;
const TICKET_NUMBER = /^[A-Z0-9]{1,40}$/;
/** Looked up for a malformed number: a valid doc id no ticket number can be. */
const NO_TICKET = "-";
const EMPTY: TicketLinks = { history: [] };

export interface FoundToken {
  readonly id: string;
  readonly data: TokenDoc;
}

/** The link records in the store's keyed docs, read and checked the same way by agents' and customers' side. */
export class LinkRecords {
  readonly store: TicketStore;
  readonly secrets: LinkSecrets;

  constructor(store: TicketStore, secrets: LinkSecrets) {
    this.store = store;
    this.secrets = secrets;
  }

  async ticketLinks(number: string) {
    const doc = await this.store.getDoc(COLLECTIONS.tickets, number);
    const links = (doc && readDoc(ticketLinksSchema, doc.data)) || EMPTY;
    return { doc, links };
  }

  /**
   * The token's record, if the token is one of ours, of this kind, and still active. Unknown and revoked
   * tokens (revoking deletes the record) take the same path: one read, one constant-time comparison.
   */
  async token(kind: LinkKind, token: string): Promise<FoundToken | undefined> {
    // A malformed token still costs the one read: it looks up an id no selector can have.
    const parts = this.secrets.tokenParts(kind, TOKEN.test(token) ? token : "");
    const doc = await this.store.getDoc(COLLECTIONS.tokens, parts.id);
    const data = doc ? readDoc(tokenDocSchema, doc.data) : undefined;
    const stored = data?.kind === kind ? data.verifier : undefined;
    if (!this.secrets.matches(parts.verifier, stored) || !data) return undefined;
    return { id: parts.id, data };
  }

  /** The ticket number a number and code open: unknown number, wrong code and revoked code alike undefined. */
  async code(rawNumber: string, rawCode: string): Promise<string | undefined> {
    const number = rawNumber.replace(/\s/g, "").toUpperCase();
    const code = normaliseCode(rawCode);
    const well = TICKET_NUMBER.test(number) && code !== undefined;
    const doc = await this.store.getDoc(COLLECTIONS.codes, well ? number : NO_TICKET);
    const stored = doc ? readDoc(codeDocSchema, doc.data) : undefined;
    const given = this.secrets.codeVerifier(number, code ?? "");
    return this.secrets.matches(given, stored?.verifier) ? stored?.ticket : undefined;
  }

  /** Deletes a record whatever its revision (a revoked link must stop working even mid-change). */
  async remove(collection: string, id: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const doc = await this.store.getDoc(collection, id);
      if (!doc) return;
      try {
        await this.store.deleteDoc(collection, id, doc.rev);
        return;
      } catch (e) {
        if (!(e instanceof DocConflictError) || attempt >= RETRIES) throw e;
      }
    }
  }

  /** Best kept, not essential: the ticket's own survey already refuses a second answer. */
  async markAnswered(tokenId: string, number: string, at: string): Promise<void> {
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      try {
        const doc = await this.store.getDoc(COLLECTIONS.tokens, tokenId);
        const data = doc ? readDoc(tokenDocSchema, doc.data) : undefined;
        if (doc && data && !data.answeredAt)
          await this.store.putDoc(COLLECTIONS.tokens, tokenId, doc.rev, { ...data, answeredAt: at });
        const { doc: tdoc, links } = await this.ticketLinks(number);
        if (tdoc && links.survey?.id === tokenId && !links.survey.answeredAt) {
          await this.store.putDoc(COLLECTIONS.tickets, number, tdoc.rev, {
            ...links,
            survey: { ...links.survey, answeredAt: at },
            history: withEntry(links, { kind: "survey", action: "answered", at, by: "customer" }),
          });
        }
        return;
      } catch (e) {
        if (!(e instanceof DocConflictError)) throw e;
      }
    }
  }
}

export function withEntry(links: TicketLinks, entry: LinkHistoryEntry): LinkHistoryEntry[] {
  return [...links.history, entry].slice(-MAX_HISTORY);
}
