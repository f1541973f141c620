import { findPhones } from "../privacy/detect.ts";
import { normalise } from "./match.ts";

/** Key facts read from the customer's words; each is a proposal the agent confirms with the customer. */
export interface Extracted {
  /** Phone numbers as written (after NFKC normalisation), in order. */
  readonly phones: string[];
  readonly orderNo?: string;
  readonly model?: string;
  /** The compensation the customer demands, in CNY. */
  readonly amount?: number;
}

// An order number needs a label in front of it: a bare long number may as well be a bank card.
// 快递单号/运单号 are tracking numbers, so the bare 单号 is not a label.
const ORDER =
  /(?:订单编号|订单号码|订单号|订单|(?<![a-z])order(?:\s*(?:no\.?|number|num\.?|id|#))?|#)[\s:=#是为]*([a-z0-9][a-z0-9-]*)/gi;

const MODEL =
  /(?:型号|机型|(?<![a-z])model(?:\s*(?:no\.?|number|#))?)[\s:=#是为]*([a-z0-9][a-z0-9-]*(?:\s+(?:pro|max|plus|ultra|lite|mini|air|se|neo|turbo|slim)(?![a-z0-9]))*)/gi;

const MOBILE = /^(?:86)?1[3-9]\d{9}$/;

const digitsOf = (s: string): string => s.replace(/\D/g, "");
const nationalDigits = (s: string): string => digitsOf(s).replace(/^86(?=1\d{10}$)/, "");

function isPhoneLike(token: string, phones: readonly string[]): boolean {
  const digits = nationalDigits(token);
  return MOBILE.test(digits) || phones.some((p) => nationalDigits(p) === digits);
}

function validOrderNo(token: string, phones: readonly string[]): boolean {
  if (token.length > 40 || isPhoneLike(token, phones)) return false;
  const digits = digitsOf(token).length;
  if (!/[a-z]/i.test(token)) return digits >= 10 && digits <= 24;
  return token.length >= 6 && token.length <= 32 && digits >= 4;
}

export function extractOrderNo(
  text: string,
  phones: readonly string[] = findPhones(text),
): string | undefined {
  for (const m of text.matchAll(ORDER)) {
    const token = m[1]!.replace(/-+$/, "");
    if (validOrderNo(token, phones)) return token;
  }
  return undefined;
}

export function extractModel(text: string, phones: readonly string[] = findPhones(text)): string | undefined {
  for (const m of text.matchAll(MODEL)) {
    const model = m[1]!.replace(/-+$/, "");
    if (/\d/.test(model) && model.length <= 40 && !isPhoneLike(model, phones)) return model;
  }
  return undefined;
}

// Money: ¥2000, RMB 1,500, 2000元, 1.5万元, 800块, 1,500 yuan. A bare number is never money.
const NUM = String.raw`(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;
const UNIT = "(?:元|块钱|块|人民币|rmb|cny|yuan(?![a-z])|kuai(?![a-z]))";
const MONEY = String.raw`(?:(?:¥|rmb|cny)\s*${NUM}\s*(万|千)?\s*${UNIT}?|${NUM}\s*(万|千)?\s*${UNIT})`;
const DEMAND = "(?:赔偿|补偿|赔付|索赔|赔|compensat[a-z]*|damages)";
// Words and money within one clause: no sentence or clause punctuation in between.
const GAP = String.raw`[^.!?;,。\n]`;
const DEMAND_THEN_MONEY = new RegExp(`${DEMAND}${GAP}{0,20}?${MONEY}`, "gi");
const MONEY_THEN_DEMAND = new RegExp(`${MONEY}${GAP}{0,5}?${DEMAND}`, "gi");

function moneyValue(m: RegExpMatchArray): number | undefined {
  const raw = m[1] ?? m[3];
  const scale = m[2] ?? m[4];
  if (raw === undefined) return undefined;
  const base = Number(raw.replace(/,/g, ""));
  const value = base * (scale === "万" ? 10_000 : scale === "千" ? 1_000 : 1);
  return Number.isFinite(value) && value > 0 ? Math.round(value * 100) / 100 : undefined;
}

/**
 * The compensation the customer demands. "赔偿2000元" style (demand word first) is preferred over
 * "2000元的补偿" style; among several demands the largest counts, since that is what a supervisor must
 * agree to. Chinese numerals (两千元) are not read.
 */
export function extractDemandAmount(text: string): number | undefined {
  for (const pattern of [DEMAND_THEN_MONEY, MONEY_THEN_DEMAND]) {
    const values = [...text.matchAll(pattern)].map(moneyValue).filter((v): v is number => v !== undefined);
    if (values.length > 0) return Math.max(...values);
  }
  return undefined;
}

export function extract(rawText: string): Extracted {
  const text = normalise(rawText);
  const phones = findPhones(text);
  const orderNo = extractOrderNo(text, phones);
  const model = extractModel(text, phones);
  const amount = extractDemandAmount(text);
  return {
    phones,
    ...(orderNo !== undefined && { orderNo }),
    ...(model !== undefined && { model }),
    ...(amount !== undefined && { amount }),
  };
}
