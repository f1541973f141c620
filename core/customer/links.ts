import type { Directory } from "../directory/directory.ts";
import { mayAdjust, mayFollowUp, mayTalk } from "../directory/permissions.ts";
import { isDomainError } from "../errors.ts";
import type { Clock, TicketRecord, TicketStore } from "../ports.ts";
import { DocConflictError } from "../ports.ts";
import { forbidden } from "../ticket/refusals.ts";
import type { TicketService } from "../ticket/service.ts";
import { parseInput } from "../validate.ts";
import {
  type ActiveLink,
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
import { mayNotShare, SURVEY_NOT_OPEN, surveyNotOpen } from "./refusals.ts";
import { LinkSecrets, normaliseCode, TOKEN } from "./secrets.ts";
import { surveyAnswerSchema } from "./survey-answer.ts";

export interface CustomerLinksDeps {
  readonly store: TicketStore;
  readonly service: TicketService;
  readonly clock: Clock;
  /** The field-encryption key; the link hashes use a key derived from it. */
  readonly secret: Buffer;
}

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

export type SurveyOutcome =
  | { readonly outcome: "recorded"; readonly record: TicketRecord }
  /** This ticket's survey is already recorded (through this link, another, or by phone). */
  | { readonly outcome: "answered"; readonly record: TicketRecord }
  /** No survey can be recorded now: the ticket was reopened, say. */
  | { readonly outcome: "closed" }
  /** Unknown, revoked or malformed: the same answer for each. */
  | { readonly outcome: "invalid" };

export interface SurveyLinkView {
  readonly link: TokenDoc;
  readonly record: TicketRecord;
  readonly answered: boolean;
  readonly open: boolean;
}

const TICKET_NUMBER = /^[A-Z0-9]{1,40}$/;
const RETRIES = 5;
const EMPTY: TicketLinks = { history: [] };

/** Status and survey links for customers: issued and revoked by agents, checked for anyone holding one. */
export class CustomerLinks {
  readonly #d: CustomerLinksDeps;
  readonly #secrets: LinkSecrets;

  constructor(deps: CustomerLinksDeps) {
    this.#d = deps;
    this.#secrets = new LinkSecrets(deps.secret);
  }

  get directory(): Directory {
    return this.#d.service.directory;
  }

  async summary(number: string, actorId: string): Promise<LinksSummary> {
    const record = await this.#d.service.get(number);
    const actor = this.#d.service.person(actorId);
    if (!mayTalk(actor))
      throw forbidden(number, actor.id, { "zh-CN": "查看客户链接", en: "see customer links" });
    const { links } = await this.#read(record.state.number);
    return summaryOf(record.state.number, links);
  }

  async issue(number: string, kind: LinkKind, actorId: string): Promise<IssuedLink> {
    const record = await this.#d.service.get(number);
    this.#mayShare(record, kind, actorId);
    const t = record.state;
    if (kind === "survey") {
      if (t.survey) throw surveyNotOpen(t.number, SURVEY_NOT_OPEN.answered);
      if (t.confirmation?.result !== "confirmed") throw surveyNotOpen(t.number, SURVEY_NOT_OPEN.notConfirmed);
    }
    for (let attempt = 0; ; attempt++) {
      const issuedAt = this.#d.clock.now().toISOString();
      const { doc, links } = await this.#read(t.number);
      const old = links[kind];
      // The old link stops working before anything else is written.
      if (old) await this.#remove(COLLECTIONS.tokens, old.id);
      if (kind === "status") await this.#remove(COLLECTIONS.codes, t.number);
      const token = this.#secrets.newToken(kind);
      const tokenDoc: TokenDoc = {
        kind,
        ticket: t.number,
        verifier: token.verifier,
        issuedAt,
        issuedBy: actorId,
      };
      await this.#d.store.putDoc(COLLECTIONS.tokens, token.id, 0, tokenDoc);
      const code = kind === "status" ? this.#secrets.newCode() : undefined;
      try {
        if (code) {
          const verifier = this.#secrets.codeVerifier(t.number, code);
          await this.#d.store.putDoc(COLLECTIONS.codes, t.number, 0, {
            ticket: t.number,
            verifier,
            issuedAt,
            issuedBy: actorId,
          });
        }
        const active: ActiveLink = { id: token.id, issuedAt, issuedBy: actorId };
        const entry: LinkHistoryEntry = {
          kind,
          action: old ? "replaced" : "issued",
          at: issuedAt,
          by: actorId,
        };
        await this.#d.store.putDoc(COLLECTIONS.tickets, t.number, doc?.rev ?? 0, {
          ...links,
          [kind]: active,
          history: [...links.history, entry].slice(-MAX_HISTORY),
        });
        return { kind, number: t.number, token: token.token, ...(code ? { code } : {}), issuedAt };
      } catch (e) {
        // Someone else changed this ticket's links meanwhile: withdraw ours and decide again.
        await this.#remove(COLLECTIONS.tokens, token.id);
        if (!(e instanceof DocConflictError) || attempt >= RETRIES) throw e;
      }
    }
  }

  async revoke(number: string, kind: LinkKind, actorId: string): Promise<LinksSummary> {
    const record = await this.#d.service.get(number);
    this.#mayShare(record, kind, actorId);
    const n = record.state.number;
    for (let attempt = 0; ; attempt++) {
      const { doc, links } = await this.#read(n);
      const old = links[kind];
      if (old) await this.#remove(COLLECTIONS.tokens, old.id);
      if (kind === "status") await this.#remove(COLLECTIONS.codes, n);
      if (!old || !doc) return summaryOf(n, links);
      const at = this.#d.clock.now().toISOString();
      const { [kind]: _gone, ...rest } = links;
      const next = {
        ...rest,
        history: [...links.history, { kind, action: "revoked" as const, at, by: actorId }],
      };
      try {
        await this.#d.store.putDoc(COLLECTIONS.tickets, n, doc.rev, {
          ...next,
          history: next.history.slice(-MAX_HISTORY),
        });
        return summaryOf(n, next);
      } catch (e) {
        if (!(e instanceof DocConflictError) || attempt >= RETRIES) throw e;
      }
    }
  }

  /** The ticket a status link opens; undefined for an unknown, revoked or malformed one alike. */
  async statusByToken(token: string): Promise<TicketRecord | undefined> {
    const link = await this.#tokenLink("status", token);
    return link ? this.#d.store.get(link.data.ticket) : undefined;
  }

  /** The ticket a number and code open; undefined for an unknown number, a wrong code or a revoked one alike. */
  async statusByCode(rawNumber: string, rawCode: string): Promise<TicketRecord | undefined> {
    const number = rawNumber.replace(/\s/g, "").toUpperCase();
    const code = normaliseCode(rawCode);
    const well = TICKET_NUMBER.test(number) && code !== undefined;
    const doc = well ? await this.#d.store.getDoc(COLLECTIONS.codes, number) : undefined;
    const stored = doc ? readDoc(codeDocSchema, doc.data) : undefined;
    const given = this.#secrets.codeVerifier(number, code ?? "");
    if (!this.#secrets.matches(given, stored?.verifier)) return undefined;
    return this.#d.store.get(stored!.ticket);
  }

  async surveyByToken(token: string): Promise<SurveyLinkView | undefined> {
    const link = await this.#tokenLink("survey", token);
    const record = link ? await this.#d.store.get(link.data.ticket) : undefined;
    if (!link || !record) return undefined;
    const t = record.state;
    const answered = link.data.answeredAt !== undefined || t.survey !== undefined;
    return { link: link.data, record, answered, open: !answered && t.confirmation?.result === "confirmed" };
  }

  /**
   * Records the customer's answer through the same survey command an agent uses, as the agent who sent the
   * link: the same checks, the same remedy rule, the same notifications. Throws a validation error (nothing
   * written) for a bad answer.
   */
  async answerSurvey(token: string, body: unknown): Promise<SurveyOutcome> {
    const answer = parseInput(surveyAnswerSchema, body);
    const link = await this.#tokenLink("survey", token);
    if (!link) return { outcome: "invalid" };
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const record = await this.#d.store.get(link.data.ticket);
      if (!record) return { outcome: "invalid" };
      const t = record.state;
      if (link.data.answeredAt || t.survey) return { outcome: "answered", record };
      if (t.confirmation?.result !== "confirmed") return { outcome: "closed" };
      try {
        const result = await this.#d.service.execute(
          t.number,
          "survey",
          {
            version: t.version,
            resolutionScore: answer.resolutionScore,
            attitudeScore: answer.attitudeScore,
            method: "online_survey",
            ...(answer.suggestion ? { suggestion: answer.suggestion } : {}),
          },
          { actor: link.data.issuedBy, via: "web" },
        );
        await this.#markAnswered(link.id, t.number, result.record.state.survey?.at ?? t.updatedAt);
        return { outcome: "recorded", record: result.record };
      } catch (e) {
        // Changed under us (another answer, a reopening): read again and say which.
        if (isDomainError(e) && (e.code === "conflict" || e.code === "invalid_transition")) continue;
        if (isDomainError(e) && (e.code === "forbidden" || e.code === "unauthenticated"))
          return { outcome: "closed" };
        throw e;
      }
    }
    return { outcome: "closed" };
  }

  #mayShare(record: TicketRecord, kind: LinkKind, actorId: string): void {
    const dir = this.#d.service.directory;
    const actor = this.#d.service.person(actorId);
    const allowed =
      kind === "status" ? mayAdjust(dir, actor, record.state) : mayFollowUp(dir, actor, record.state);
    if (!allowed) throw mayNotShare(record.state.number, actor.id, kind);
  }

  async #read(number: string) {
    const doc = await this.#d.store.getDoc(COLLECTIONS.tickets, number);
    const links = (doc && readDoc(ticketLinksSchema, doc.data)) || EMPTY;
    return { doc, links };
  }

  /** The token's stored link, if the token is one of ours, of this kind, and still active. */
  async #tokenLink(
    kind: LinkKind,
    token: string,
  ): Promise<{ id: string; rev: number; data: TokenDoc } | undefined> {
    const well = TOKEN.test(token);
    const parts = this.#secrets.tokenParts(kind, well ? token : "");
    const doc = well ? await this.#d.store.getDoc(COLLECTIONS.tokens, parts.id) : undefined;
    const data = doc ? readDoc(tokenDocSchema, doc.data) : undefined;
    const stored = data?.kind === kind ? data.verifier : undefined;
    if (!this.#secrets.matches(parts.verifier, stored) || !doc || !data) return undefined;
    return { id: parts.id, rev: doc.rev, data };
  }

  async #remove(collection: string, id: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const doc = await this.#d.store.getDoc(collection, id);
      if (!doc) return;
      try {
        await this.#d.store.deleteDoc(collection, id, doc.rev);
        return;
      } catch (e) {
        if (!(e instanceof DocConflictError) || attempt >= RETRIES) throw e;
      }
    }
  }

  /** Best kept, not essential: the ticket's own survey already refuses a second answer. */
  async #markAnswered(tokenId: string, number: string, at: string): Promise<void> {
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      try {
        const doc = await this.#d.store.getDoc(COLLECTIONS.tokens, tokenId);
        const data = doc ? readDoc(tokenDocSchema, doc.data) : undefined;
        if (doc && data && !data.answeredAt)
          await this.#d.store.putDoc(COLLECTIONS.tokens, tokenId, doc.rev, { ...data, answeredAt: at });
        const { doc: tdoc, links } = await this.#read(number);
        if (tdoc && links.survey?.id === tokenId && !links.survey.answeredAt) {
          const entry: LinkHistoryEntry = { kind: "survey", action: "answered", at, by: "customer" };
          await this.#d.store.putDoc(COLLECTIONS.tickets, number, tdoc.rev, {
            ...links,
            survey: { ...links.survey, answeredAt: at },
            history: [...links.history, entry].slice(-MAX_HISTORY),
          });
        }
        return;
      } catch (e) {
        if (!(e instanceof DocConflictError)) throw e;
      }
    }
  }
}

function summaryOf(number: string, links: TicketLinks): LinksSummary {
  const one = (l: ActiveLink | undefined): LinkSummary =>
    l
      ? { active: true, issuedAt: l.issuedAt, issuedBy: l.issuedBy, answeredAt: l.answeredAt }
      : { active: false };
  return { number, status: one(links.status), survey: one(links.survey), history: links.history };
}
