import { describe, expect, it } from "vitest";
import { classify } from "../../core/routing/classify.ts";
import { escalationReasons } from "../../core/routing/escalation.ts";
import { parseRoutingConfig } from "../../core/routing/rules-schema.ts";

const cfg = parseRoutingConfig(undefined);
const reasons = (input: Parameters<typeof escalationReasons>[0]) => escalationReasons(input, cfg.escalation);
const kinds = (input: Parameters<typeof escalationReasons>[0]) => reasons(input).map((r) => r.kind);

describe("angry customers", () => {
  it("escalates an angry mood with the words behind it", () => {
    const [r] = reasons({ mood: "angry", text: "太差了", moodWords: ["太差"] });
    expect(r).toMatchObject({ kind: "angry_customer", words: ["太差"] });
    expect(r!.text["zh-CN"]).toContain("“太差”");
    expect(r!.text.en).toContain('"太差"');
  });

  it("still escalates without words, and not for calm or anxious customers", () => {
    const [r] = reasons({ mood: "angry", text: "" });
    expect(r).toMatchObject({ kind: "angry_customer", words: [] });
    expect(r!.text["zh-CN"]).toBe("客户情绪激动，需主管立即介入安抚");
    expect(kinds({ mood: "calm", text: "你好" })).toEqual([]);
    expect(kinds({ mood: "anxious", text: "我很着急" })).toEqual([]);
  });

  it("works straight from a classification", () => {
    const text = "This is a scam, I'm furious!!!";
    const c = classify({ text }, cfg.rules);
    const [r] = reasons({ mood: c.mood, text, moodWords: c.moodWords });
    expect(r).toMatchObject({ kind: "angry_customer", words: ["furious", "scam", "!!!"] });
  });
});

describe("major complaints", () => {
  it.each([
    ["我要找记者曝光你们", ["曝光", "记者"]],
    ["再不处理我就打12315", ["12315"]],
    ["我们几十个人要集体投诉", ["集体投诉"]],
    ["我已经请了律师准备起诉", ["律师", "起诉"]],
    ["I will call my lawyer and sue you", ["lawyer", "sue"]],
    ["We are filing a class action", ["class action"]],
    ["I'm talking to the media about this", ["media"]],
  ])("%s", (text, words) => {
    const r = reasons({ mood: "calm", text }).find((x) => x.kind === "major_complaint");
    expect(r).toMatchObject({ kind: "major_complaint", words });
    expect(r!.text["zh-CN"]).toContain(`“${words[0]}”`);
    expect(r!.text.en).toContain(`"${words[0]}"`);
  });

  it("does not fire on look-alikes", () => {
    expect(kinds({ mood: "calm", text: "I have an issue with my order" })).toEqual([]);
    expect(kinds({ mood: "calm", text: "电话13812315678" })).toEqual([]);
    expect(kinds({ mood: "calm", text: "普通投诉" })).toEqual([]);
  });

  it("uses the configured words", () => {
    const own = { majorComplaintWords: ["微博", "/热搜/"], compensationLimit: 500 };
    expect(escalationReasons({ mood: "calm", text: "我要发到微博上热搜" }, own)).toMatchObject([
      { kind: "major_complaint", words: ["微博", "热搜"] },
    ]);
    expect(escalationReasons({ mood: "calm", text: "找记者" }, own)).toEqual([]);
  });
});

describe("demands beyond an agent's authority", () => {
  it("escalates an explicit amount above the limit, not at it", () => {
    const [r] = reasons({ mood: "calm", text: "", demandAmount: 2000 });
    expect(r).toMatchObject({ kind: "over_authority", amount: 2000, limit: 500 });
    expect(r!.text["zh-CN"]).toBe("客户要求赔偿 2,000 元，超出客服权限（500 元）");
    expect(r!.text.en).toContain("CNY 2,000");
    expect(kinds({ mood: "calm", text: "", demandAmount: 500 })).toEqual([]);
    expect(kinds({ mood: "calm", text: "", demandAmount: 500.01 })).toEqual(["over_authority"]);
  });

  it("reads the amount from the text when none is given", () => {
    expect(reasons({ mood: "calm", text: "要求赔偿2000元" })).toMatchObject([
      { kind: "over_authority", amount: 2000 },
    ]);
    expect(reasons({ mood: "calm", text: "compensation of 1,500 yuan" })).toMatchObject([{ amount: 1500 }]);
    expect(kinds({ mood: "calm", text: "赔偿300元" })).toEqual([]);
    expect(kinds({ mood: "calm", text: "退款3000元" })).toEqual([]);
  });

  it("judges an explicit amount only as compensation", () => {
    expect(kinds({ mood: "calm", text: "", demandAmount: 3000, demand: ["refund"] })).toEqual([]);
    expect(kinds({ mood: "calm", text: "", demandAmount: 3000, demand: ["refund", "compensation"] })).toEqual(
      ["over_authority"],
    );
    expect(kinds({ mood: "calm", text: "赔偿2000元", demandAmount: 3000, demand: ["refund"] })).toEqual([
      "over_authority",
    ]);
  });

  it("follows the configured limit", () => {
    const own = { majorComplaintWords: [], compensationLimit: 5000 };
    expect(escalationReasons({ mood: "calm", text: "", demandAmount: 2000 }, own)).toEqual([]);
    expect(escalationReasons({ mood: "calm", text: "", demandAmount: 5001 }, own)).toMatchObject([
      { kind: "over_authority", amount: 5001, limit: 5000 },
    ]);
  });
});

it("lists every reason that applies, in a fixed order", () => {
  const text = "垃圾！！！不赔偿5000元我就找媒体";
  const c = classify({ text }, cfg.rules);
  const all = reasons({ mood: c.mood, text, demandAmount: c.extracted.amount, moodWords: c.moodWords });
  expect(all.map((r) => r.kind)).toEqual(["angry_customer", "major_complaint", "over_authority"]);
  for (const r of all) {
    expect(r.text["zh-CN"].length).toBeGreaterThan(0);
    expect(r.text.en.length).toBeGreaterThan(0);
  }
});
