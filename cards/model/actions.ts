import { z } from "zod";
import { ARTICLE_ID } from "../../core/kb/article.ts";

/** The command names a card button can carry. */
export const CARD_ACTIONS = [
  "claim",
  "start",
  "resolve",
  "reopen",
  "nudge",
  "assign",
  "confirm",
  "dispute",
  "survey",
  "create",
  "refresh",
  "kb_send",
  "kb_solved",
  "kb_unsolved",
] as const;

export type CardAction = (typeof CARD_ACTIONS)[number];

/**
 * What a button click sends back, on every platform: the command, the ticket number ("" before a ticket
 * exists) and the ticket version the card showed, so a click on a stale card is detected. Form inputs come
 * back beside it, in the platform's own field for them.
 */
export interface CallbackValue {
  readonly action: CardAction;
  readonly ticket: string;
  readonly version: number;
  /** `"open"`: the click asks for the card again with this action's form open. */
  readonly form?: "open";
  /** The draft a new-ticket form was prefilled from (the server keeps the sealed contact under it). */
  readonly draft?: string;
  /** The knowledge-base article a kb_* button is about. */
  readonly article?: string;
}

const callbackShape = {
  action: z.enum(CARD_ACTIONS),
  ticket: z.string().max(64),
  version: z.number().int().min(0),
  form: z.literal("open").optional(),
  draft: z.string().max(100).optional(),
  article: z.string().regex(ARTICLE_ID).optional(),
};

/** Exactly what a renderer puts on a button: the validators hold every rendered card to it. */
export const callbackValueSchema = z.object(callbackShape).strict();

/**
 * For inbound adapters: a callback value as it comes back from a platform, which may add the form's inputs
 * beside it (Teams merges them into `data`); those extra keys are kept for the command's body.
 */
export const inboundCallbackSchema = z.object(callbackShape).loose();

export function callback(action: CardAction, ticket: string, version: number): CallbackValue {
  return { action, ticket, version };
}
