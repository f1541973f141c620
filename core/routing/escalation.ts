import type { Text } from "../i18n/locale.ts";
import type { Demand, Mood } from "../ticket/schema.ts";
import { extractDemandAmount } from "./extract.ts";
import { matchAny, normalise } from "./match.ts";
import type { EscalationConfig } from "./rules-schema.ts";

export const ESCALATION_KINDS = ["angry_customer", "major_complaint", "over_authority"] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

export type EscalationReason =
  | { readonly kind: "angry_customer"; readonly words: readonly string[]; readonly text: Text }
  | { readonly kind: "major_complaint"; readonly words: readonly string[]; readonly text: Text }
  | { readonly kind: "over_authority"; readonly amount: number; readonly limit: number; readonly text: Text };

export interface EscalationInput {
  readonly mood: Mood;
  /** The customer's words. */
  readonly text: string;
  /** The compensation demanded (CNY), when known; otherwise it is read from the text. */
  readonly demandAmount?: number;
  /** What the customer wants. When given without "compensation", `demandAmount` is a refund or the like. */
  readonly demand?: readonly Demand[];
  /** The words that made the mood (classify's `moodWords`), quoted to the supervisor. */
  readonly moodWords?: readonly string[];
}

const number = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });
const quoteZh = (words: readonly string[]) => words.map((w) => `“${w}”`).join("、");
const quoteEn = (words: readonly string[]) => words.map((w) => `"${w}"`).join(", ");

function angry(words: readonly string[]): EscalationReason {
  const text: Text =
    words.length > 0
      ? {
          "zh-CN": `客户情绪激动（${quoteZh(words)}），需主管立即介入安抚`,
          en: `The customer is angry (${quoteEn(words)}); a supervisor should step in now`,
        }
      : {
          "zh-CN": "客户情绪激动，需主管立即介入安抚",
          en: "The customer is angry; a supervisor should step in now",
        };
  return { kind: "angry_customer", words, text };
}

function major(words: readonly string[]): EscalationReason {
  return {
    kind: "major_complaint",
    words,
    text: {
      "zh-CN": `重大投诉风险：客户提到${quoteZh(words)}`,
      en: `Major complaint risk: the customer mentions ${quoteEn(words)}`,
    },
  };
}

function overAuthority(amount: number, limit: number): EscalationReason {
  const a = number.format(amount);
  const l = number.format(limit);
  return {
    kind: "over_authority",
    amount,
    limit,
    text: {
      "zh-CN": `客户要求赔偿 ${a} 元，超出客服权限（${l} 元）`,
      en: `The customer demands CNY ${a} in compensation, beyond an agent's authority (CNY ${l})`,
    },
  };
}

/** The amount to judge against the limit: an explicit compensation demand, else what the text asks for. */
function demandedCompensation(input: EscalationInput, text: string): number | undefined {
  const explicit = input.demandAmount;
  const isCompensation = input.demand === undefined || input.demand.includes("compensation");
  if (explicit !== undefined && Number.isFinite(explicit) && isCompensation) return explicit;
  return extractDemandAmount(text);
}

/**
 * Why a ticket goes straight to the department head, whatever the clock says: the customer cannot be
 * calmed, the complaint is major (media, lawyers, regulators, group complaints), or the demand exceeds
 * an agent's authority. Empty when none applies.
 */
export function escalationReasons(
  input: EscalationInput,
  config: Pick<EscalationConfig, "majorComplaintWords" | "compensationLimit">,
): EscalationReason[] {
  const text = normalise(input.text);
  const reasons: EscalationReason[] = [];
  if (input.mood === "angry") reasons.push(angry(input.moodWords ?? []));
  const words = matchAny(config.majorComplaintWords, text);
  if (words.length > 0) reasons.push(major(words));
  const amount = demandedCompensation(input, text);
  if (amount !== undefined && amount > config.compensationLimit) {
    reasons.push(overAuthority(amount, config.compensationLimit));
  }
  return reasons;
}
