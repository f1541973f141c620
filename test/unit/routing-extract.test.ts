import { describe, expect, it } from "vitest";
import { extract, extractDemandAmount } from "../../core/routing/extract.ts";

describe("phones", () => {
  it("uses the privacy detector and keeps the order", () => {
    expect(extract("手机 138 1234 5678 或者座机 010-12345678").phones).toEqual([
      "138 1234 5678",
      "010-12345678",
    ]);
    expect(extract("Call me at +86 13812345678").phones).toEqual(["+86 13812345678"]);
  });

  it("reads full-width digits", () => {
    expect(extract("电话１３８１２３４５６７８").phones).toEqual(["13812345678"]);
  });
});

describe("order numbers", () => {
  it.each([
    ["订单号20240501123456", "20240501123456"],
    ["订单号：20240501123456。", "20240501123456"],
    ["订单编号是 JD2024050199", "JD2024050199"],
    ["Order #20240501123456 is late", "20240501123456"],
    ["order no. SO-88812345", "SO-88812345"],
    ["order number: 202405011234567890", "202405011234567890"],
    ["#20240501123456", "20240501123456"],
    ["订单号２０２４０５０１１２３４５６", "20240501123456"],
    ["订单号2024-0501-1234-56，谢谢", "2024-0501-1234-56"],
  ])("%s -> %s", (text, orderNo) => {
    expect(extract(text).orderNo).toBe(orderNo);
  });

  it("keeps a phone number next to an order number apart", () => {
    const a = extract("订单号20240501123456，电话13812345678");
    expect(a.orderNo).toBe("20240501123456");
    expect(a.phones).toEqual(["13812345678"]);
    const b = extract("电话13812345678订单号JD2024050199");
    expect(b.orderNo).toBe("JD2024050199");
    expect(b.phones).toEqual(["13812345678"]);
    const c = extract("order no. 13812345678, order #20240501123456");
    expect(c.orderNo).toBe("20240501123456");
  });

  it("never takes a phone for an order number", () => {
    expect(extract("订单号：13812345678").orderNo).toBeUndefined();
    expect(extract("订单 138-1234-5678").orderNo).toBeUndefined();
    expect(extract("订单号 010-12345678").orderNo).toBeUndefined();
    expect(extract("order +8613812345678").orderNo).toBeUndefined();
  });

  it("does not take plain numbers, short numbers or tracking numbers", () => {
    expect(extract("我买了3台，花了2999元，等了15天").orderNo).toBeUndefined();
    expect(extract("卡号6222021234567890123").orderNo).toBeUndefined();
    expect(extract("订单号 12345").orderNo).toBeUndefined();
    expect(extract("订单已经发货了").orderNo).toBeUndefined();
    expect(extract("快递单号SF1234567890").orderNo).toBeUndefined();
    expect(extract("the order arrived broken").orderNo).toBeUndefined();
    expect(extract("订单号ABCDEFG").orderNo).toBeUndefined();
  });
});

describe("product models", () => {
  it.each([
    ["型号X200开不了机", "X200"],
    ["型号：AB-3000 Pro，买了一个月", "AB-3000 Pro"],
    ["机型是 P50 Max", "P50 Max"],
    ["Model X200 stopped working", "X200"],
    ["my model no. AB-3000 Pro keeps crashing", "AB-3000 Pro"],
  ])("%s -> %s", (text, model) => {
    expect(extract(text).model).toBe(model);
  });

  it("needs a label and a digit", () => {
    expect(extract("What model do you have?").model).toBeUndefined();
    expect(extract("型号是什么").model).toBeUndefined();
    expect(extract("X200 坏了").model).toBeUndefined();
    expect(extract("remodel 2000").model).toBeUndefined();
    expect(extract("型号13812345678").model).toBeUndefined();
  });
});

describe("demanded compensation", () => {
  it.each([
    ["赔偿2000元", 2000],
    ["要求补偿¥1,500", 1500],
    ["要求赔偿 ￥800", 800],
    ["至少赔我500块钱", 500],
    ["赔偿金额不低于1.5万元", 15000],
    ["I want compensation of 1,500 yuan", 1500],
    ["compensate me RMB 3000", 3000],
    ["I expect 2000 CNY as compensation", 2000],
    ["要2000元的补偿", 2000],
    ["退款3000元并赔偿500元", 500],
    ["赔偿500元，不行就赔偿5000元", 5000],
    ["赔偿２０００元", 2000],
  ])("%s -> %d", (text, amount) => {
    expect(extract(text).amount).toBe(amount);
    expect(extractDemandAmount(text.normalize("NFKC"))).toBe(amount);
  });

  it("ignores money that is not a compensation demand, and numbers that are not money", () => {
    expect(extract("花了3000元买的，要求赔偿").amount).toBeUndefined();
    expect(extract("退款2999元").amount).toBeUndefined();
    expect(extract("赔偿金额：2000").amount).toBeUndefined();
    expect(extract("要求赔偿，订单号20240501123456").amount).toBeUndefined();
    expect(extract("型号X200，赔偿").amount).toBeUndefined();
    expect(extract("赔偿0元").amount).toBeUndefined();
  });

  it("leaves everything out of a plain message", () => {
    expect(extract("我买了3台，花了2999元，等了15天，一共2个问题")).toEqual({ phones: [] });
    expect(extract("")).toEqual({ phones: [] });
  });
});
