import { describe, expect, it } from "vitest";
import { classify, raisePriority } from "../../core/routing/classify.ts";
import { parseRoutingConfig, type RoutingRule } from "../../core/routing/rules-schema.ts";

const { rules } = parseRoutingConfig(undefined);
const route = (text: string) => classify({ text }, rules);

describe("default type rules, zh-CN and en", () => {
  const cases: [string, string, string][] = [
    ["我要退款", "after_sales", "returns"],
    ["这个不合适，申请退货", "after_sales", "returns"],
    ["尺码不对想换货", "after_sales", "returns"],
    ["I want a refund", "after_sales", "returns"],
    ["Can I return these shoes?", "after_sales", "returns"],
    ["物流一直不更新", "logistics", "logistics"],
    ["快递到哪了", "logistics", "logistics"],
    ["下单一周了还没发货", "logistics", "logistics"],
    ["我还没收到货", "logistics", "logistics"],
    ["Where is my parcel?", "logistics", "logistics"],
    ["The delivery is three days late", "logistics", "logistics"],
    ["shipping takes forever", "logistics", "logistics"],
    ["手机出现故障", "quality_complaint", "tech"],
    ["新买的电脑无法开机", "quality_complaint", "tech"],
    ["玩游戏经常死机", "quality_complaint", "tech"],
    ["App 一打开就闪退", "quality_complaint", "tech"],
    ["耳机坏了", "quality_complaint", "tech"],
    ["The app keeps crashing", "quality_complaint", "tech"],
    ["The hinge is broken", "quality_complaint", "tech"],
    ["I get an error on login", "quality_complaint", "tech"],
    ["The charger is not working", "quality_complaint", "tech"],
    ["我要投诉你们的安装师傅", "service_complaint", "complaints"],
    ["客服态度恶劣", "service_complaint", "complaints"],
    ["I want to complain about your staff", "service_complaint", "complaints"],
    ["The agent was rude to me", "service_complaint", "complaints"],
    ["发票抬头开错了", "billing", "billing"],
    ["这个月的账单不对", "billing", "billing"],
    ["莫名其妙被扣款", "billing", "billing"],
    ["Please resend the invoice", "billing", "billing"],
    ["There is a mistake in my billing", "billing", "billing"],
    ["I was charged twice", "billing", "billing"],
    ["请问这个怎么用", "product_inquiry", "support"],
    ["How to pair the headset?", "product_inquiry", "support"],
  ];
  it.each(cases)("%s -> %s / %s", (text, problemType, department) => {
    const c = route(text);
    expect(c.problemType).toBe(problemType);
    expect(c.department).toBe(department);
    expect(c.hits.some((h) => h.field === "problemType" && h.value === problemType)).toBe(true);
  });
});

describe("default priority and mood rules, zh-CN and en", () => {
  const cases: [string, string, string][] = [
    ["这个问题很紧急", "urgent", "calm"],
    ["急用，帮忙处理", "urgent", "calm"],
    ["请马上处理", "urgent", "calm"],
    ["This is urgent", "urgent", "calm"],
    ["Please fix asap", "urgent", "calm"],
    ["Call me back immediately", "urgent", "calm"],
    ["我真的很生气", "urgent", "angry"],
    ["你们太让人愤怒了", "urgent", "angry"],
    ["服务太差", "urgent", "angry"],
    ["垃圾产品", "urgent", "angry"],
    ["你们就是骗子", "urgent", "angry"],
    ["我受够了", "urgent", "angry"],
    ["怎么还没好！！！", "urgent", "angry"],
    ["I am furious", "urgent", "angry"],
    ["I'm so angry right now", "urgent", "angry"],
    ["terrible service", "urgent", "angry"],
    ["this is a scam", "urgent", "angry"],
    ["completely unacceptable", "urgent", "angry"],
    ["why is it still broken!!!", "urgent", "angry"],
    ["我很着急", "normal", "anxious"],
    ["麻烦尽快处理", "normal", "anxious"],
    ["I'm anxious about it", "normal", "anxious"],
    ["I'm worried it got lost", "normal", "anxious"],
    ["不急，慢慢来", "low", "calm"],
    ["no rush, whenever you can", "low", "calm"],
    ["你好", "normal", "calm"],
  ];
  it.each(cases)("%s -> %s / %s", (text, priority, mood) => {
    const c = route(text);
    expect(c.priority).toBe(priority);
    expect(c.mood).toBe(mood);
  });

  it("does not read the opposite or a mood as urgency", () => {
    expect(route("不紧急").priority).toBe("low");
    expect(route("我不着急").mood).toBe("calm");
    expect(route("我不着急").priority).toBe("low");
    expect(route("it is not urgent").priority).toBe("low");
    expect(route("我很着急").priority).toBe("normal");
  });

  it("does not take near-misses for the wrong department", () => {
    expect(route("气坏了").problemType).not.toBe("quality_complaint");
    expect(route("还没收到退款").department).toBe("returns");
    expect(route("没收到发票").department).toBe("billing");
  });

  it("two exclamation marks are not yet anger", () => {
    expect(route("快点!!").mood).toBe("calm");
    expect(route("快点！ ！ ！").mood).toBe("angry");
  });
});

describe("rule order and severity merging", () => {
  const custom: RoutingRule[] = [
    { id: "a", match: ["foo"], set: { problemType: "billing", department: "billing", priority: "low" } },
    {
      id: "b",
      match: ["bar"],
      set: { problemType: "logistics", department: "logistics", priority: "urgent", mood: "anxious" },
    },
    { id: "c", match: ["baz"], set: { mood: "angry", priority: "normal" } },
    { id: "d", match: ["qux"], set: { department: "tech" } },
  ];

  it("takes type and department from the first matching rule, severity from the worst", () => {
    const c = classify({ text: "baz bar foo" }, custom);
    expect(c).toMatchObject({
      problemType: "billing",
      department: "billing",
      priority: "urgent",
      mood: "angry",
    });
    expect(c.hits).toEqual([
      { rule: "a", field: "problemType", value: "billing" },
      { rule: "a", field: "department", value: "billing" },
      { rule: "b", field: "priority", value: "urgent" },
      { rule: "c", field: "mood", value: "angry" },
    ]);
    expect(c.matches.map((m) => m.rule)).toEqual(["a", "b", "c"]);
  });

  it("lets a later rule fill a field the earlier ones left open", () => {
    const c = classify({ text: "qux baz" }, custom);
    expect(c).toMatchObject({ problemType: "other", department: "tech", priority: "normal", mood: "angry" });
    expect(c.hits).toEqual([
      { rule: "c", field: "priority", value: "normal" },
      { rule: "c", field: "mood", value: "angry" },
      { rule: "d", field: "department", value: "tech" },
    ]);
  });

  it("a milder priority cannot lower a more severe one, whatever the rule order", () => {
    expect(classify({ text: "foo bar" }, custom).priority).toBe("urgent");
    expect(classify({ text: "foo bar" }, [custom[1]!, custom[0]!]).priority).toBe("urgent");
    expect(classify({ text: "foo" }, custom).priority).toBe("low");
  });

  it("lists every agreeing rule as a reason", () => {
    const c = route("我很生气，这个问题很紧急");
    expect(c.hits.filter((h) => h.field === "priority").map((h) => h.rule)).toEqual(["urgent", "angry"]);
    expect(c.moodWords).toEqual(["生气"]);
  });

  it("falls back without recording a hit", () => {
    const c = route("你好，在吗");
    expect(c).toMatchObject({
      problemType: "other",
      department: "support",
      priority: "normal",
      mood: "calm",
    });
    expect(c.hits).toEqual([]);
    expect(c.matches).toEqual([]);
    const own = classify({ text: "hello" }, rules, { problemType: "other", department: "front-desk" });
    expect(own.department).toBe("front-desk");
  });

  it("orders default rules so the specific wins over the generic", () => {
    expect(route("我要投诉，手机死机了")).toMatchObject({
      problemType: "quality_complaint",
      department: "tech",
    });
    expect(route("手机坏了，我要退货")).toMatchObject({ problemType: "after_sales", department: "returns" });
    expect(route("Refund me, the app crashes")).toMatchObject({ department: "returns" });
  });
});

describe("VIP customers", () => {
  it("raises priority one level and says so", () => {
    const c = classify({ text: "我要退款", customerType: "vip" }, rules);
    expect(c.priority).toBe("urgent");
    expect(c.hits.at(-1)).toEqual({ rule: "vip-customer", field: "priority", value: "urgent" });
    const low = classify({ text: "不急，请问怎么用", customerType: "vip" }, rules);
    expect(low.priority).toBe("normal");
    expect(low.hits).toContainEqual({ rule: "not-urgent", field: "priority", value: "low" });
    expect(low.hits).toContainEqual({ rule: "vip-customer", field: "priority", value: "normal" });
  });

  it("cannot go above urgent and records nothing then", () => {
    const c = classify({ text: "urgent!", customerType: "vip" }, rules);
    expect(c.priority).toBe("urgent");
    expect(c.hits.some((h) => h.rule === "vip-customer")).toBe(false);
  });

  it("leaves other customers alone", () => {
    expect(classify({ text: "我要退款", customerType: "returning" }, rules).priority).toBe("normal");
    expect(classify({ text: "我要退款", customerType: "new" }, rules).priority).toBe("normal");
  });

  it("raisePriority steps low -> normal -> urgent", () => {
    expect([raisePriority("low"), raisePriority("normal"), raisePriority("urgent")]).toEqual([
      "normal",
      "urgent",
      "urgent",
    ]);
  });
});

describe("classification carries the extraction", () => {
  it("reads phone, order, model and amount from one message", () => {
    const c = route("型号X200无法开机，订单号20240501123456，电话13812345678，要求赔偿2000元！！！");
    expect(c.extracted).toEqual({
      phones: ["13812345678"],
      orderNo: "20240501123456",
      model: "X200",
      amount: 2000,
    });
    expect(c).toMatchObject({ problemType: "quality_complaint", mood: "angry", priority: "urgent" });
  });
});
