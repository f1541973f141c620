import { raisesPriority } from "../profiles/tags.ts";
import type { RuleHit } from "../ticket/events.ts";
import type { CustomerType, Mood, Priority } from "../ticket/schema.ts";
import { type Extracted, extract } from "./extract.ts";
import { matchAny, normalise } from "./match.ts";
import type { RoutingRule } from "./rules-schema.ts";

export interface ClassifyInput {
  readonly text: string;
  readonly customerType?: CustomerType;
  /** The customer's tags (from the input or their profile): VIP and high-value raise the priority. */
  readonly customerTags?: readonly string[];
}

/** What a ticket gets when no rule says otherwise. */
export interface Fallback {
  readonly problemType: string;
  readonly department: string;
}

export const DEFAULT_FALLBACK: Fallback = { problemType: "other", department: "support" };

/** A rule that fired and the words it saw, as written in the (normalised) text. */
export interface RuleMatch {
  readonly rule: string;
  readonly terms: readonly string[];
}

export interface Classification {
  readonly problemType: string;
  readonly department: string;
  readonly priority: Priority;
  readonly mood: Mood;
  /**
   * One hit per rule and field that decided the result, in rule order, then the VIP raise. Fields left
   * at their fallback have no hit, so an empty list means "nothing matched". A rule that fired but lost
   * (a later problem type, a milder priority) has no hit either; it is still listed in `matches`.
   */
  readonly hits: RuleHit[];
  readonly matches: RuleMatch[];
  /** The words behind the mood, for the supervisor an angry customer is escalated to. */
  readonly moodWords: string[];
  readonly extracted: Extracted;
}

const PRIORITY_RANK: Readonly<Record<Priority, number>> = { low: 0, normal: 1, urgent: 2 };
const MOOD_RANK: Readonly<Record<Mood, number>> = { calm: 0, anxious: 1, angry: 2 };
const FIELDS = ["problemType", "department", "priority", "mood"] as const;

/** One level up: low -> normal -> urgent. */
export const raisePriority = (p: Priority): Priority => (p === "low" ? "normal" : "urgent");

const moreSevere = <T extends string>(
  rank: Readonly<Record<T, number>>,
  a: T | undefined,
  b: T | undefined,
) => (a === undefined ? b : b === undefined ? a : rank[b] > rank[a] ? b : a);

/**
 * Rules are tried in order. Problem type and department come from the first rule that sets them;
 * priority and mood take the most severe value any matching rule sets. A VIP customer's priority is
 * then raised one level, and so is a customer tagged VIP or high-value.
 */
export function classify(
  input: ClassifyInput,
  rules: readonly RoutingRule[],
  fallback: Fallback = DEFAULT_FALLBACK,
): Classification {
  const text = normalise(input.text);
  const fired: { rule: RoutingRule; terms: string[] }[] = [];
  for (const rule of rules) {
    const terms = matchAny(rule.match, text);
    if (terms.length > 0) fired.push({ rule, terms });
  }

  let problemType: string | undefined;
  let department: string | undefined;
  let priority: Priority | undefined;
  let mood: Mood | undefined;
  for (const { rule } of fired) {
    problemType ??= rule.set.problemType;
    department ??= rule.set.department;
    priority = moreSevere(PRIORITY_RANK, priority, rule.set.priority);
    mood = moreSevere(MOOD_RANK, mood, rule.set.mood);
  }

  const decided = { problemType, department, priority, mood };
  const hits: RuleHit[] = [];
  for (const { rule } of fired) {
    for (const field of FIELDS) {
      const value = rule.set[field];
      if (value !== undefined && value === decided[field]) hits.push({ rule: rule.id, field, value });
    }
  }

  let finalPriority = priority ?? "normal";
  const valued = input.customerType === "vip" || raisesPriority(input.customerTags);
  if (valued && finalPriority !== "urgent") {
    finalPriority = raisePriority(finalPriority);
    hits.push({ rule: "vip-customer", field: "priority", value: finalPriority });
  }

  const finalMood = mood ?? "calm";
  const moodWords = [
    ...new Set(fired.filter(({ rule }) => rule.set.mood === finalMood).flatMap(({ terms }) => terms)),
  ];

  return {
    problemType: problemType ?? fallback.problemType,
    department: department ?? fallback.department,
    priority: finalPriority,
    mood: finalMood,
    hits,
    matches: fired.map(({ rule, terms }) => ({ rule: rule.id, terms })),
    moodWords,
    extracted: extract(input.text),
  };
}
