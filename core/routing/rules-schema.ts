import { z } from "zod";
import { DEFAULT_PROBLEM_TYPES, MOODS, PRIORITIES } from "../ticket/schema.ts";
import { ASSIGNMENT_STRATEGIES } from "./assign.ts";
import { DEFAULT_COMPENSATION_LIMIT, DEFAULT_MAJOR_COMPLAINT_WORDS, DEFAULT_RULES } from "./defaults.ts";
import { isRegexPattern, isValidPattern } from "./match.ts";

const id = z.string().trim().min(1).max(100);

/** A keyword, or a regular expression written "/source/flags". See match.ts for how keywords match. */
export const patternSchema = z
  .string()
  .trim()
  .min(1, "empty pattern")
  .max(500)
  .refine((p) => !isRegexPattern(p) || isValidPattern(p), "invalid regular expression");

export const ruleSetSchema = z
  .object({
    problemType: id.optional(),
    department: id.optional(),
    priority: z.enum(PRIORITIES).optional(),
    mood: z.enum(MOODS).optional(),
  })
  .strict()
  .refine(
    (s) => Object.values(s).some((v) => v !== undefined),
    "sets nothing: give at least one of problemType, department, priority, mood",
  );

export const routingRuleSchema = z
  .object({
    id,
    match: z.array(patternSchema).min(1).max(200),
    set: ruleSetSchema,
    note: z.string().trim().max(500).optional(),
  })
  .strict();

/** Rule ids that classification itself writes into hits; a configured rule may not take them. */
export const RESERVED_RULE_IDS: readonly string[] = ["vip-customer"];

const escalationSchema = z
  .object({
    majorComplaintWords: z
      .array(patternSchema)
      .max(500)
      .default(() => [...DEFAULT_MAJOR_COMPLAINT_WORDS]),
    /** CNY; a demanded compensation above this is beyond an agent's authority. */
    compensationLimit: z.number().finite().nonnegative().default(DEFAULT_COMPENSATION_LIMIT),
  })
  .strict();

const assignmentSchema = z.object({ strategy: z.enum(ASSIGNMENT_STRATEGIES).default("least-open") }).strict();

const copyDefaultRules = (): RoutingRule[] =>
  DEFAULT_RULES.map((r) => ({ ...r, match: [...r.match], set: { ...r.set } }));

/**
 * The `routing` section. Supplying `rules` replaces the default rules as a whole; every other key falls
 * back to its default on its own.
 */
export const routingConfigSchema = z
  .object({
    /** The problem types rules may set; "other" is the fallback and always allowed. */
    problemTypes: z
      .array(id)
      .min(1)
      .default(() => [...DEFAULT_PROBLEM_TYPES]),
    rules: z.array(routingRuleSchema).max(500).default(copyDefaultRules),
    escalation: escalationSchema.prefault({}),
    assignment: assignmentSchema.prefault({}),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    const types = new Set([...cfg.problemTypes, "other"]);
    cfg.rules.forEach((rule, i) => {
      if (RESERVED_RULE_IDS.includes(rule.id)) {
        ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `"${rule.id}" is reserved` });
      } else if (seen.has(rule.id)) {
        ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `duplicate rule id "${rule.id}"` });
      }
      seen.add(rule.id);
      const type = rule.set.problemType;
      if (type !== undefined && !types.has(type)) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "set", "problemType"],
          message: `unknown problem type "${type}" (known: ${[...types].join(", ")})`,
        });
      }
    });
  })
  .prefault({});

export type RoutingRule = z.infer<typeof routingRuleSchema>;
export type RuleSet = RoutingRule["set"];
export type RoutingConfig = z.infer<typeof routingConfigSchema>;
export type EscalationConfig = RoutingConfig["escalation"];
export type AssignmentConfig = RoutingConfig["assignment"];

/** `routing.rules[3].match[0]` from a root and an issue path. */
export function formatKey(root: string, path: readonly PropertyKey[]): string {
  let key = root;
  for (const part of path) {
    if (typeof part === "number") key += `[${part}]`;
    else key += key === "" ? String(part) : `.${String(part)}`;
  }
  return key || "(root)";
}

/** One line per problem, each naming its key: `routing.rules[3].match[0]: invalid regular expression`. */
export function routingConfigIssues(input: unknown, root = "routing"): string[] {
  const result = routingConfigSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${formatKey(root, issue.path)}: ${issue.message}`);
}

/** Parses the `routing` section (undefined gives every default) or throws an Error listing each problem. */
export function parseRoutingConfig(input: unknown, root = "routing"): RoutingConfig {
  const result = routingConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new Error(routingConfigIssues(input, root).join("\n"));
}

/** Rules that send tickets to a department the directory does not know; the composition root checks this. */
export function unknownDepartmentIssues(
  config: Pick<RoutingConfig, "rules">,
  departmentIds: Iterable<string>,
  root = "routing",
): string[] {
  const known = new Set(departmentIds);
  const issues: string[] = [];
  config.rules.forEach((rule, i) => {
    const dep = rule.set.department;
    if (dep !== undefined && !known.has(dep)) {
      issues.push(`${formatKey(root, ["rules", i, "set", "department"])}: unknown department "${dep}"`);
    }
  });
  return issues;
}
