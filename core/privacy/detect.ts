import { maskPhone } from "./mask.ts";

// Mainland mobile numbers (optionally +86, optionally split by spaces or dashes) and landlines with an area code.
// The look-arounds keep order numbers and other long digit runs from being taken for phones.
const PHONE_PATTERN =
  /(?<![\d\w])(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?![\d])|(?<![\d\w])0\d{2,3}-\d{7,8}(?![\d])|(?<![\d\w])\+(?!86)\d{1,3}[-\s]?\d{6,12}(?![\d])/g;

export interface PhoneScan {
  /** The text with every phone number masked. */
  readonly text: string;
  /** The phone numbers found, in order, as written. */
  readonly phones: readonly string[];
}

export function scanPhones(text: string): PhoneScan {
  const phones: string[] = [];
  const masked = text.replace(PHONE_PATTERN, (match) => {
    phones.push(match);
    return maskPhone(match);
  });
  return { text: masked, phones };
}

export function findPhones(text: string): string[] {
  return [...scanPhones(text).phones];
}

// Characters that hide between digits (zero-width, joiners, bidi marks, the BOM), and full-width digits.
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;
const WIDE_DIGITS = /[\uff10-\uff19\uff0b]/g;
// What people type into free text beyond the strict forms: a mobile glued to letters ("tel13812345678") or
// split by dots, an international number in groups ("+44 7700 900123"), a landline without its dash.
const GLUED_MOBILE = /(?<!\d)(?:\+?86[-\s.]?)?1[3-9]\d(?:[-\s.]?\d{4}){2}(?!\d)/g;
const GROUPED_INTERNATIONAL = /(?<![\d+])\+\d{1,3}(?:[-\s.]?\d{2,6}){1,5}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}[-\s.]?\d{7,8}(?!\d)/g;

/**
 * Free text someone typed (a description, a comment, a log line): every phone number masked, including
 * the forms scanPhones leaves alone on purpose when it is asked whether a string is a phone number
 * (full-width digits, digits split by invisible characters or dots, glued to letters, grouped
 * international numbers, landlines without a dash). In a text that holds one, invisible characters are
 * dropped and full-width digits narrowed on the way, as the cards do when they show it.
 */
export function scanTypedText(text: string): PhoneScan {
  const visible = text
    .replace(INVISIBLE, "")
    .replace(WIDE_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const strict = scanPhones(visible);
  const phones = [...strict.phones];
  const mask = (m: string) => {
    phones.push(m);
    return maskPhone(m);
  };
  const masked = strict.text
    .replace(GLUED_MOBILE, mask)
    .replace(GROUPED_INTERNATIONAL, (m) => (m.replace(/\D/g, "").length >= 8 ? mask(m) : m))
    .replace(LANDLINE, mask);
  // Text without a phone number is kept exactly as typed.
  return phones.length ? { text: masked, phones } : { text, phones };
}
