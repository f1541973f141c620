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
