import { z } from "zod";
import { SURVEY_METHODS } from "./events.ts";
import { LIMITS, MOODS, PRIORITIES } from "./schema.ts";

const version = z.number().int().positive();
const idField = z.string().trim().min(1).max(100);
const text = z.string().trim().min(1).max(LIMITS.comment);
const score = z.number().int().min(1).max(5);

/** Body schemas of the commands a person can send for an existing ticket, by public command name. */
export const commandSchemas = {
  claim: z.object({ version }).strict(),
  assign: z.object({ version, owner: idField, department: idField.optional() }).strict(),
  start: z.object({ version }).strict(),
  resolve: z.object({ version, solution: z.string().trim().min(1).max(LIMITS.solution) }).strict(),
  reopen: z.object({ version, reason: z.string().trim().min(1).max(LIMITS.comment) }).strict(),
  comment: z
    .object({ version: version.optional(), text: z.string().trim().min(1).max(LIMITS.comment) })
    .strict(),
  nudge: z.object({ version: version.optional() }).strict(),
  "reveal-contact": z.object({ version: version.optional() }).strict(),
  update: z
    .object({
      version,
      priority: z.enum(PRIORITIES).optional(),
      problemType: z.string().trim().min(1).max(LIMITS.shortText).optional(),
      problemTag: z.string().trim().max(LIMITS.shortText).optional(),
      mood: z.enum(MOODS).optional(),
    })
    .strict(),
  pause: z.object({ version, reason: text }).strict(),
  resume: z.object({ version }).strict(),
  confirm: z
    .object({ version, result: z.enum(["confirmed", "disputed"]), reason: text.optional() })
    .strict()
    .refine((b) => b.result === "confirmed" || b.reason !== undefined, {
      path: ["reason"],
      message: "a disputed result needs the customer's reason",
    }),
  survey: z
    .object({
      version,
      resolutionScore: score,
      attitudeScore: score,
      method: z.enum(SURVEY_METHODS),
      suggestion: z.string().trim().max(LIMITS.comment).optional(),
    })
    .strict(),
  remedy: z.object({ version, note: text }).strict(),
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];

export type CommandBody<N extends CommandName> = z.infer<(typeof commandSchemas)[N]>;

export type TicketCommand = { [N in CommandName]: { name: N } & CommandBody<N> }[CommandName];

export const isCommandName = (name: string): name is CommandName => Object.hasOwn(commandSchemas, name);
