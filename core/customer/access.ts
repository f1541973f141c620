import { isDomainError } from "../errors.ts";
import type { TicketRecord } from "../ports.ts";
import type { TicketService } from "../ticket/service.ts";
import { parseInput } from "../validate.ts";
import type { TokenDoc } from "./docs.ts";
import { type LinkRecords, RETRIES } from "./records.ts";
import { surveyAnswerSchema } from "./survey-answer.ts";

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

/**
 * What a customer holding a link or a code may do: see the ticket's progress, answer its survey once. Every
 * refusal of a secret is `undefined` (or "invalid"), whatever the reason, so nothing tells tickets apart.
 */
export class CustomerAccess {
  readonly #records: LinkRecords;
  readonly #service: TicketService;

  constructor(records: LinkRecords, service: TicketService) {
    this.#records = records;
    this.#service = service;
  }

  get directory() {
    return this.#service.directory;
  }

  async statusByToken(token: string): Promise<TicketRecord | undefined> {
    const link = await this.#records.token("status", token);
    return link ? this.#records.store.get(link.data.ticket) : undefined;
  }

  async statusByCode(number: string, code: string): Promise<TicketRecord | undefined> {
    const ticket = await this.#records.code(number, code);
    return ticket ? this.#records.store.get(ticket) : undefined;
  }

  async surveyByToken(token: string): Promise<SurveyLinkView | undefined> {
    const link = await this.#records.token("survey", token);
    const record = link ? await this.#records.store.get(link.data.ticket) : undefined;
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
    const link = await this.#records.token("survey", token);
    if (!link) return { outcome: "invalid" };
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const record = await this.#records.store.get(link.data.ticket);
      if (!record) return { outcome: "invalid" };
      const t = record.state;
      if (link.data.answeredAt || t.survey) return { outcome: "answered", record };
      if (t.confirmation?.result !== "confirmed") return { outcome: "closed" };
      try {
        const result = await this.#service.execute(
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
        const at = result.record.state.survey?.at ?? result.record.state.updatedAt;
        await this.#records.markAnswered(link.id, t.number, at);
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
}
