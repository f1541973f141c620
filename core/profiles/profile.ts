import { z } from "zod";
import { CUSTOMER_TYPES, LIMITS } from "../ticket/schema.ts";
import { TAG_MAX_LENGTH, TAGS_MAX } from "./tags.ts";

/** Where profiles live in the store's keyed docs, and their lookup index (keyed hashes -> profile id). */
export const PROFILES = "customer_profiles";
export const PROFILE_KEYS = "customer_profile_keys";

/** The newest ticket numbers a profile lists; older ones still count in `ticketCount`. */
export const PROFILE_TICKETS_MAX = 100;
export const PROFILE_PHONES_MAX = 5;
export const PROFILE_IDS_MAX = 5;

const sealed = z.object({ cipher: z.string(), masked: z.string(), hash: z.string() }).strict();

/** What a profile doc holds; parsed on every read so a damaged doc fails loudly, not half-way. */
export const profileDataSchema = z
  .object({
    name: z.string().max(LIMITS.shortText).optional(),
    organisation: z.string().max(LIMITS.shortText).optional(),
    type: z.enum(CUSTOMER_TYPES),
    tags: z.array(z.string().max(TAG_MAX_LENGTH)).max(TAGS_MAX),
    phones: z.array(sealed).max(PROFILE_PHONES_MAX),
    customerIds: z.array(z.string().max(LIMITS.shortText)).max(PROFILE_IDS_MAX),
    tickets: z.array(z.string().max(64)).max(PROFILE_TICKETS_MAX),
    ticketCount: z.number().int().min(0),
    createdAt: z.string(),
    updatedBy: z.string().optional(),
  })
  .strict();

export type ProfileData = z.infer<typeof profileDataSchema>;

/**
 * A customer as a record of their own. Phones are sealed (cipher, masked form, keyed hash), never clear;
 * `customerIds` are the customer's ids in other systems (a CRM, a membership number); `tickets` lists the
 * newest PROFILE_TICKETS_MAX numbers, oldest first, while `ticketCount` counts them all.
 */
export type CustomerProfile = ProfileData & {
  readonly id: string;
  readonly rev: number;
  readonly updatedAt: string;
};

export const keyDataSchema = z.object({ profile: z.string() }).strict();

/** Keeps `list` + `item` unique, appended, the newest `max`. */
export function appendBounded<T>(list: readonly T[], item: T, max: number): T[] {
  if (list.includes(item)) return [...list];
  return [...list, item].slice(-max);
}
