import type { TicketRecord } from "../../core/ports.ts";
import type { CustomerProfile } from "../../core/profiles/profile.ts";
import type { CustomerHistory } from "../../core/ticket/customer-history.ts";

const HEADLINE_MAX = 60;
const headline = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > HEADLINE_MAX ? `${flat.slice(0, HEADLINE_MAX - 1)}…` : flat;
};

/** A profile as the API shows it: phones masked (the sealed value and its hash never leave the store). */
export function customerView(
  profile: CustomerProfile,
  history: CustomerHistory,
  recent: readonly TicketRecord[],
) {
  return {
    id: profile.id,
    version: profile.rev,
    name: profile.name,
    organisation: profile.organisation,
    type: profile.type,
    tags: profile.tags,
    phones: profile.phones.map((p) => p.masked),
    customerIds: profile.customerIds,
    ticketCount: profile.ticketCount,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    updatedBy: profile.updatedBy,
    history,
    recent: recent.map(({ state: s }) => ({
      number: s.number,
      createdAt: s.createdAt,
      status: s.status,
      priority: s.priority,
      problemType: s.problemType,
      department: s.department,
      headline: headline(s.description),
      ...(s.survey
        ? { survey: { resolutionScore: s.survey.resolutionScore, attitudeScore: s.survey.attitudeScore } }
        : {}),
    })),
  };
}

export type CustomerView = ReturnType<typeof customerView>;
