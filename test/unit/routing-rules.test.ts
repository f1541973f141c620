import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "../../core/routing/defaults.ts";
import { compilePattern, matchAny, matchPattern, normalise } from "../../core/routing/match.ts";
import {
  parseRoutingConfig,
  routingConfigIssues,
  routingConfigSchema,
  unknownDepartmentIssues,
} from "../../core/routing/rules-schema.ts";

const rule = (id: string, match: string[] = ["x"]) => ({ id, match, set: { priority: "urgent" } });

describe("routing config defaults", () => {
  it("gives every default for a missing section", () => {
    const cfg = parseRoutingConfig(undefined);
    expect(cfg.rules.map((r) => r.id)).toEqual(DEFAULT_RULES.map((r) => r.id));
    expect(cfg.assignment.strategy).toBe("least-open");
    expect(cfg.escalation.compensationLimit).toBe(500);
    expect(cfg.escalation.majorComplaintWords).toEqual(expect.arrayContaining(["12315", "媒体", "lawyer"]));
    expect(cfg.problemTypes).toContain("after_sales");
  });

  it("fills each key on its own", () => {
    const cfg = parseRoutingConfig({
      assignment: { strategy: "round-robin" },
      escalation: { compensationLimit: 0 },
    });
    expect(cfg.assignment.strategy).toBe("round-robin");
    expect(cfg.escalation.compensationLimit).toBe(0);
    expect(cfg.escalation.majorComplaintWords.length).toBeGreaterThan(10);
    expect(cfg.rules.length).toBe(DEFAULT_RULES.length);
  });

  it("replaces the default rules as a whole when rules are given", () => {
    const cfg = parseRoutingConfig({ rules: [rule("only")] });
    expect(cfg.rules.map((r) => r.id)).toEqual(["only"]);
  });

  it("hands out fresh copies of the defaults", () => {
    const a = parseRoutingConfig(undefined);
    a.rules[0]!.match.push("changed");
    a.escalation.majorComplaintWords.length = 0;
    const b = parseRoutingConfig(undefined);
    expect(b.rules[0]!.match).not.toContain("changed");
    expect(b.escalation.majorComplaintWords.length).toBeGreaterThan(0);
    expect(DEFAULT_RULES[0]!.match).not.toContain("changed");
  });

  it("accepts its own default rules and only the demo directory's departments", () => {
    expect(routingConfigIssues({ rules: DEFAULT_RULES })).toEqual([]);
    const deps = new Set(DEFAULT_RULES.flatMap((r) => (r.set.department ? [r.set.department] : [])));
    expect([...deps].sort()).toEqual(["billing", "complaints", "logistics", "returns", "tech"]);
  });
});

describe("routing config errors name the key", () => {
  it("reports an invalid regular expression by index", () => {
    const rules = [rule("a"), rule("b"), rule("c"), rule("d", ["/[a-/i"])];
    expect(routingConfigIssues({ rules })).toEqual(["routing.rules[3].match[0]: invalid regular expression"]);
    expect(() => parseRoutingConfig({ rules })).toThrow(
      "routing.rules[3].match[0]: invalid regular expression",
    );
  });

  it("reports invalid regex flags and bad escalation words", () => {
    expect(routingConfigIssues({ rules: [rule("a", ["ok", "/x/q"])] })).toEqual([
      "routing.rules[0].match[1]: invalid regular expression",
    ]);
    expect(routingConfigIssues({ escalation: { majorComplaintWords: ["/(/"] } })).toEqual([
      "routing.escalation.majorComplaintWords[0]: invalid regular expression",
    ]);
  });

  it("uses the root it is given", () => {
    expect(routingConfigIssues({ assignment: { strategy: "random" } }, "config.routing")[0]).toMatch(
      /^config\.routing\.assignment\.strategy: /,
    );
  });

  it("refuses duplicate and reserved rule ids", () => {
    expect(routingConfigIssues({ rules: [rule("a"), rule("a"), rule("vip-customer")] })).toEqual([
      'routing.rules[1].id: duplicate rule id "a"',
      'routing.rules[2].id: "vip-customer" is reserved',
    ]);
  });

  it("refuses a problem type that is not configured", () => {
    const issues = routingConfigIssues({
      rules: [{ id: "a", match: ["x"], set: { problemType: "aftersales" } }],
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^routing\.rules\[0\]\.set\.problemType: unknown problem type "aftersales"/);
    const custom = {
      problemTypes: ["installation"],
      rules: [{ id: "a", match: ["x"], set: { problemType: "installation" } }],
    };
    expect(routingConfigIssues(custom)).toEqual([]);
  });

  it("refuses empty matches, empty sets, unknown keys and bad values", () => {
    const issues = routingConfigIssues({
      rules: [{ id: "a", match: [], set: {} }],
      escalation: { compensationLimit: -1 },
      extra: true,
    });
    expect(issues.some((i) => i.startsWith("routing.rules[0].match:"))).toBe(true);
    expect(issues.some((i) => i.startsWith("routing.rules[0].set: sets nothing"))).toBe(true);
    expect(issues.some((i) => i.startsWith("routing.escalation.compensationLimit:"))).toBe(true);
    expect(issues.some((i) => i.startsWith("routing:") && i.includes("extra"))).toBe(true);
    expect(routingConfigIssues({ rules: [{ id: "a", match: ["   "], set: { mood: "angry" } }] })).toEqual([
      "routing.rules[0].match[0]: empty pattern",
    ]);
    expect(routingConfigIssues({ rules: [{ id: "a", match: ["x"], set: { priority: "high" } }] })[0]).toMatch(
      /^routing\.rules\[0\]\.set\.priority: /,
    );
  });

  it("lists rules whose department the directory lacks", () => {
    const cfg = routingConfigSchema.parse(undefined);
    expect(
      unknownDepartmentIssues(cfg, ["support", "tech", "returns", "complaints", "logistics", "billing"]),
    ).toEqual([]);
    const issues = unknownDepartmentIssues(cfg, ["support", "tech", "returns", "complaints", "logistics"]);
    const i = cfg.rules.findIndex((r) => r.set.department === "billing");
    expect(issues).toEqual([`routing.rules[${i}].set.department: unknown department "billing"`]);
  });
});

describe("pattern matching", () => {
  it("matches Latin keywords as words with common endings", () => {
    expect(matchPattern("refund", "I was refunded")).toBe("refunded");
    expect(matchPattern("refund", "Refunds please")).toBe("Refunds");
    expect(matchPattern("sue", "I have an issue")).toBeUndefined();
    expect(matchPattern("sue", "we sued them")).toBe("sued");
    expect(matchPattern("press", "under pressure")).toBeUndefined();
    expect(matchPattern("not working", "it is NOT   working")).toBe("NOT   working");
  });

  it("matches Chinese keywords anywhere and digits as whole numbers", () => {
    expect(matchPattern("退款", "我要退款了")).toBe("退款");
    expect(matchPattern("12315", "我要打12315投诉")).toBe("12315");
    expect(matchPattern("12315", "电话13812315678")).toBeUndefined();
  });

  it("normalises full-width text and keywords", () => {
    expect(matchPattern("/!{3,}/", normalise("太慢了！！！"))).toBe("!!!");
    expect(matchPattern("ＡＳＡＰ", normalise("asap"))).toBe("asap");
  });

  it("compiles regex literals with their flags, dropping g and y", () => {
    expect(compilePattern("/ab+c/gi").flags).toBe("i");
    expect(matchPattern("/ab+c/", "ABBC")).toBeUndefined();
    expect(matchPattern("/ab+c/i", "xABBCx")).toBe("ABBC");
    expect(() => compilePattern("/(/")).toThrow(SyntaxError);
  });

  it("lists each matched term once, in pattern order", () => {
    expect(matchAny(["b", "a", "/a/", "zz"], "a b a")).toEqual(["b", "a"]);
  });
});
