import type { Directory } from "../directory/directory.ts";
import { mayAdjust, mayFollowUp, mayTalk } from "../directory/permissions.ts";
import type { Clock, TicketRecord } from "../ports.ts";
import { DocConflictError } from "../ports.ts";
import { forbidden } from "../ticket/refusals.ts";
import type { TicketService } from "../ticket/service.ts";
import {
  type ActiveLink,
  COLLECTIONS,
  type LinkHistoryEntry,
  type LinkKind,
  type TicketLinks,
  type TokenDoc,
} from "./docs.ts";
import { type LinkRecords, RETRIES, withEntry } from "./records.ts";
import { mayNotShare, SURVEY_NOT_OPEN, surveyNotOpen } from "./refusals.ts";

/** What an agent gets once, right after issuing: the raw secrets are never stored and never shown again. */
export interface IssuedLink {
  readonly kind: LinkKind;
  readonly number: string;
  readonly token: string;
  /** Status links only: the code to read out on the phone. */
  readonly code?: string;
  readonly issuedAt: string;
}

export interface LinkSummary {
  readonly active: boolean;
  readonly issuedAt?: string;
  readonly issuedBy?: string;
  readonly answeredAt?: string;
}

export interface LinksSummary {
  readonly number: string;
  readonly status: LinkSummary;
  readonly survey: LinkSummary;
  readonly history: readonly LinkHistoryEntry[];
}

/** The agents' side: see, issue and revoke a ticket's status link (with its phone code) and survey link. */
export class CustomerLinks {
  readonly #records: LinkRecords;
  readonly #service: TicketService;
  readonly #clock: Clock;

  constructor(records: LinkRecords, service: TicketService, clock: Clock) {
    this.#records = records;
    this.#service = service;
    this.#clock = clock;
  }

  get directory(): Directory {
    return this.#service.directory;
  }

  async summary(number: string, actorId: string): Promise<LinksSummary> {
    const record = await this.#service.get(number);
    const actor = this.#service.person(actorId);
    if (!mayTalk(actor))
      throw forbidden(number, actor.id, { "zh-CN": "查看客户链接", en: "see customer links" });
    const { links } = await this.#records.ticketLinks(record.state.number);
    return summaryOf(record.state.number, links);
  }

  /** A new link (replacing the active one of its kind, which stops working first). */
  async issue(number: string, kind: LinkKind, actorId: string): Promise<IssuedLink> {
    const record = await this.#service.get(number);
    this.#mayShare(record, kind, actorId);
    const t = record.state;
    if (kind === "survey") {
      if (t.survey) throw surveyNotOpen(t.number, SURVEY_NOT_OPEN.answered);
      if (t.confirmation?.result !== "confirmed") throw surveyNotOpen(t.number, SURVEY_NOT_OPEN.notConfirmed);
    }
    const { store, secrets } = this.#records;
    for (let attempt = 0; ; attempt++) {
      const issuedAt = this.#clock.now().toISOString();
      const { doc, links } = await this.#records.ticketLinks(t.number);
      const old = links[kind];
      await this.#withdraw(t.number, kind, old);
      const token = secrets.newToken(kind);
      const tokenDoc: TokenDoc = {
        kind,
        ticket: t.number,
        verifier: token.verifier,
        issuedAt,
        issuedBy: actorId,
      };
      await store.putDoc(COLLECTIONS.tokens, token.id, 0, tokenDoc);
      const code = kind === "status" ? secrets.newCode() : undefined;
      try {
        if (code) {
          const verifier = secrets.codeVerifier(t.number, code);
          await store.putDoc(COLLECTIONS.codes, t.number, 0, {
            ticket: t.number,
            verifier,
            issuedAt,
            issuedBy: actorId,
          });
        }
        const active: ActiveLink = { id: token.id, issuedAt, issuedBy: actorId };
        const action = old ? "replaced" : "issued";
        await store.putDoc(COLLECTIONS.tickets, t.number, doc?.rev ?? 0, {
          ...links,
          [kind]: active,
          history: withEntry(links, { kind, action, at: issuedAt, by: actorId }),
        });
        return { kind, number: t.number, token: token.token, ...(code ? { code } : {}), issuedAt };
      } catch (e) {
        // Someone else changed this ticket's links meanwhile: withdraw ours and decide again.
        await this.#records.remove(COLLECTIONS.tokens, token.id);
        if (!(e instanceof DocConflictError) || attempt >= RETRIES) throw e;
      }
    }
  }

  /** Withdraws the active link of a kind; revoking when none is active changes nothing. */
  async revoke(number: string, kind: LinkKind, actorId: string): Promise<LinksSummary> {
    const record = await this.#service.get(number);
    this.#mayShare(record, kind, actorId);
    const n = record.state.number;
    for (let attempt = 0; ; attempt++) {
      const { doc, links } = await this.#records.ticketLinks(n);
      const old = links[kind];
      await this.#withdraw(n, kind, old);
      if (!old || !doc) return summaryOf(n, links);
      const { [kind]: _gone, ...rest } = links;
      const at = this.#clock.now().toISOString();
      const next: TicketLinks = {
        ...rest,
        history: withEntry(links, { kind, action: "revoked", at, by: actorId }),
      };
      try {
        await this.#records.store.putDoc(COLLECTIONS.tickets, n, doc.rev, next);
        return summaryOf(n, next);
      } catch (e) {
        if (!(e instanceof DocConflictError) || attempt >= RETRIES) throw e;
      }
    }
  }

  /** The records a link opens go first, so a withdrawn link stops working whatever happens next. */
  async #withdraw(number: string, kind: LinkKind, old: ActiveLink | undefined): Promise<void> {
    if (old) await this.#records.remove(COLLECTIONS.tokens, old.id);
    if (kind === "status") await this.#records.remove(COLLECTIONS.codes, number);
  }

  #mayShare(record: TicketRecord, kind: LinkKind, actorId: string): void {
    const dir = this.#service.directory;
    const actor = this.#service.person(actorId);
    const allowed =
      kind === "status" ? mayAdjust(dir, actor, record.state) : mayFollowUp(dir, actor, record.state);
    if (!allowed) throw mayNotShare(record.state.number, actor.id, kind);
  }
}

function summaryOf(number: string, links: TicketLinks): LinksSummary {
  const one = (l: ActiveLink | undefined): LinkSummary =>
    l
      ? { active: true, issuedAt: l.issuedAt, issuedBy: l.issuedBy, answeredAt: l.answeredAt }
      : { active: false };
  return { number, status: one(links.status), survey: one(links.survey), history: links.history };
}
