import { createHash } from "node:crypto";
import { type FieldCipher, normalisePhone, type SealedContact } from "../privacy/cipher.ts";
import { scanPhones } from "../privacy/detect.ts";
import type { CustomerRecord } from "../ticket/events.ts";
import type { CreateTicketInput } from "../ticket/schema.ts";

/**
 * Index doc ids that lead to a profile. A phone is found by its keyed hash (the one tickets carry), so a
 * lookup never decrypts anything and the index holds no phone number.
 */
export const phoneKey = (hash: string): string => `p.${hash}`;

/** A customer id from another system, hashed to fit a doc id whatever characters it has. */
export const customerIdKey = (customerId: string): string =>
  `i.${createHash("sha256").update(customerId.trim()).digest("hex")}`;

/**
 * Only a real number identifies a customer: "无", "n/a" or "123" would all hash alike and merge strangers.
 * Seven digits or more, the length at which the masked form keeps its last four.
 */
const MIN_DIGITS = 7;
const matchable = (raw: string) => normalisePhone(raw).replace(/\D/g, "").length >= MIN_DIGITS;
const matchableSealed = (c: SealedContact) => /\d{4}$/.test(c.masked);

/** The phone a new ticket will keep as its customer's: as given, else the first found in the text (as create.ts does). */
export function primaryPhone(input: CreateTicketInput): string | undefined {
  const given = input.customer?.phone;
  if (given && given.length > 0) return given;
  const texts = [
    input.description,
    input.customer?.name,
    input.customer?.organisation,
    input.occurredWhere,
    input.problemTag,
  ];
  for (const text of texts) {
    const phone = text ? scanPhones(text).phones[0] : undefined;
    if (phone) return phone;
  }
  return undefined;
}

/** The index keys of a ticket input, most specific first. */
export function inputKeys(input: CreateTicketInput, cipher: FieldCipher): string[] {
  const keys: string[] = [];
  const phone = primaryPhone(input);
  if (phone && matchable(phone)) keys.push(phoneKey(cipher.lookupHash(phone)));
  const id = input.customer?.id?.trim();
  if (id) keys.push(customerIdKey(id));
  return keys;
}

/** The index keys of a stored ticket's customer: the hash it already carries, and its id. */
export function recordKeys(customer: CustomerRecord): string[] {
  const keys: string[] = [];
  if (customer.phone && matchableSealed(customer.phone)) keys.push(phoneKey(customer.phone.hash));
  const id = customer.id?.trim();
  if (id) keys.push(customerIdKey(id));
  return keys;
}
