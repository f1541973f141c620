import { scanPhones } from "../../core/privacy/detect.ts";
import { maskPhone } from "../../core/privacy/mask.ts";
import { memoText } from "./memo.ts";

// C0/C1 controls except newline and tab, zero-width and joiner characters, bidi embeddings and isolates,
// the BOM, and the line/paragraph separators: none of them is readable text, all can hide or reorder it.
const INVISIBLE = new RegExp(
  `[${["\u0000-\u0008", "\u000b\u000c", "\u000e-\u001f", "\u007f-\u009f", "\u00ad", "\u200b-\u200f", "\u202a-\u202e", "\u2060-\u206f", "\ufeff"].join("")}]`,
  "g",
);
const SEPARATORS = /[\u2028\u2029]/g;

// Full-width digits and plus, so a phone typed with them is still found and masked.
const WIDE_DIGITS = /[\uff10-\uff19\uff0b]/g;
const narrow = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xfee0);

// A mainland mobile number glued to letters ("tel13812345678") or split by dots, which core's detector
// deliberately leaves alone in free text; on a card it is masked anyway.
const GLUED_MOBILE = /(?<!\d)(?:\+?86[-\s.]?)?1[3-9]\d(?:[-\s.]?\d{4}){2}(?!\d)/g;
// International numbers written in groups ("+44 7700 900123") and landlines without a dash ("02112345678").
const GROUPED_INTERNATIONAL = /(?<![\d+])\+\d{1,3}(?:[-\s.]?\d{2,6}){1,5}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}[-\s.]?\d{7,8}(?!\d)/g;
const digitCount = (s: string) => s.replace(/\D/g, "").length;

/**
 * Text someone typed, made safe to show: invisible characters dropped, newlines normalised, and every
 * phone number masked (the view masks contacts already; this catches numbers typed into free text).
 * It does not escape markup: that is each renderer's job.
 */
export const cleanText = memoText((raw: string): string => {
  const visible = raw
    .replace(/\r\n?/g, "\n")
    .replace(SEPARATORS, "\n")
    .replace(INVISIBLE, "")
    .replace(WIDE_DIGITS, narrow);
  return scanPhones(visible)
    .text.replace(GLUED_MOBILE, (m) => maskPhone(m))
    .replace(GROUPED_INTERNATIONAL, (m) => (digitCount(m) >= 8 ? maskPhone(m) : m))
    .replace(LANDLINE, (m) => maskPhone(m));
});

/** Clean text cut to at most `max` characters (by code point), marked with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/** One line: newlines and runs of spaces become single spaces. */
export const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();
