import fc from "fast-check";
import { expect, it } from "vitest";
import { classify } from "../../core/routing/classify.ts";
import { DEFAULT_RULES } from "../../core/routing/defaults.ts";
import { ESCALATION_KINDS, escalationReasons } from "../../core/routing/escalation.ts";
import { parseRoutingConfig } from "../../core/routing/rules-schema.ts";
import { CUSTOMER_TYPES, DEFAULT_PROBLEM_TYPES, MOODS, PRIORITIES } from "../../core/ticket/schema.ts";

const cfg = parseRoutingConfig(undefined);
const ruleIds = new Set([...DEFAULT_RULES.map((r) => r.id), "vip-customer"]);
const departments = new Set([
  "support",
  ...DEFAULT_RULES.flatMap((r) => (r.set.department ? [r.set.department] : [])),
]);
const rank = { low: 0, normal: 1, urgent: 2 } as const;

// Text built from routing words, money, phones, order numbers and noise, so rules actually fire.
const fragment = fc.oneof(
  fc.constantFrom(
    ...DEFAULT_RULES.flatMap((r) => r.match.filter((m) => !m.startsWith("/"))),
    "！！！",
    "!!",
    "赔偿2000元",
    "¥1,500",
    "订单号",
    "型号",
    "13812345678",
    "20240501123456",
    "不",
    "，",
    " ",
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
);
const text = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(""));
const customerType = fc.option(fc.constantFrom(...CUSTOMER_TYPES), { nil: undefined });

it("classification is deterministic and always returns valid values (property)", () => {
  fc.assert(
    fc.property(text, customerType, (t, type) => {
      const input = { text: t, ...(type !== undefined && { customerType: type }) };
      const a = classify(input, cfg.rules);
      const b = classify(input, cfg.rules);
      expect(b).toEqual(a);
      expect(PRIORITIES).toContain(a.priority);
      expect(MOODS).toContain(a.mood);
      expect(DEFAULT_PROBLEM_TYPES).toContain(a.problemType);
      expect(departments.has(a.department)).toBe(true);
      for (const h of a.hits) {
        expect(ruleIds.has(h.rule)).toBe(true);
        expect(["problemType", "department", "priority", "mood"]).toContain(h.field);
      }
      if (a.extracted.amount !== undefined) {
        expect(Number.isFinite(a.extracted.amount) && a.extracted.amount > 0).toBe(true);
      }
      if (a.extracted.orderNo !== undefined) {
        const digits = a.extracted.orderNo.replace(/\D/g, "");
        expect(a.extracted.phones.some((p) => p.replace(/\D/g, "") === digits)).toBe(false);
      }
      for (const r of escalationReasons({ mood: a.mood, text: t, moodWords: a.moodWords }, cfg.escalation)) {
        expect(ESCALATION_KINDS).toContain(r.kind);
        expect(r.text["zh-CN"].length > 0 && r.text.en.length > 0).toBe(true);
      }
    }),
    { numRuns: 500 },
  );
});

it("a VIP is never routed lower than anyone else, and only priority differs (property)", () => {
  fc.assert(
    fc.property(text, (t) => {
      const plain = classify({ text: t }, cfg.rules);
      const vip = classify({ text: t, customerType: "vip" }, cfg.rules);
      expect(rank[vip.priority]).toBeGreaterThanOrEqual(rank[plain.priority]);
      expect(rank[vip.priority] - rank[plain.priority]).toBeLessThanOrEqual(1);
      expect({ ...vip, priority: plain.priority, hits: plain.hits }).toEqual(plain);
    }),
    { numRuns: 300 },
  );
});
