import { z } from "zod";

/** The store collections of this feature (keyed docs, see core/ports.ts). */
export const COLLECTIONS = {
  /** One per ticket: which links are active, and what happened to them. Id: the ticket number. */
  tickets: "customer_links",
  /** One per active link token. Id: a keyed hash of the token's selector. */
  tokens: "customer_link_tokens",
  /** One per ticket with an active status code. Id: the ticket number. */
  codes: "customer_link_codes",
} as const;

export const LINK_KINDS = ["status", "survey"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

const instant = z.string().min(1).max(40);
const person = z.string().min(1).max(200);

export const tokenDocSchema = z.object({
  kind: z.enum(LINK_KINDS),
  ticket: z.string().min(1).max(200),
  verifier: z.string().min(1).max(100),
  issuedAt: instant,
  issuedBy: person,
  answeredAt: instant.optional(),
});
export type TokenDoc = z.infer<typeof tokenDocSchema>;

export const codeDocSchema = z.object({
  ticket: z.string().min(1).max(200),
  verifier: z.string().min(1).max(100),
  issuedAt: instant,
  issuedBy: person,
});
export type CodeDoc = z.infer<typeof codeDocSchema>;

const activeLinkSchema = z.object({
  /** The token doc's id (a hash; the token itself is never stored). */
  id: z.string().min(1).max(100),
  issuedAt: instant,
  issuedBy: person,
  answeredAt: instant.optional(),
});
export type ActiveLink = z.infer<typeof activeLinkSchema>;

export const HISTORY_ACTIONS = ["issued", "replaced", "revoked", "answered"] as const;
const historySchema = z.object({
  kind: z.enum(LINK_KINDS),
  action: z.enum(HISTORY_ACTIONS),
  at: instant,
  by: person,
});
export type LinkHistoryEntry = z.infer<typeof historySchema>;

/** Kept per ticket so who shared what, and when it was withdrawn, stays traceable. */
export const MAX_HISTORY = 50;

export const ticketLinksSchema = z.object({
  status: activeLinkSchema.optional(),
  survey: activeLinkSchema.optional(),
  history: z.array(historySchema).max(MAX_HISTORY).default([]),
});
export type TicketLinks = z.infer<typeof ticketLinksSchema>;

/** A stored doc read back; anything malformed counts as absent rather than trusted. */
export function readDoc<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> | undefined {
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
