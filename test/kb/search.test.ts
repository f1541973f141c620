import { describe, expect, it } from "vitest";
import { SearchIndex } from "../../core/kb/search-index.ts";
import { stem, tokenize } from "../../core/kb/tokens.ts";
import { type CorpusArticle, EN_CORPUS, ZH_CORPUS } from "./corpus.ts";

function indexOf(corpus: readonly CorpusArticle[]): SearchIndex {
  const index = new SearchIndex();
  for (const a of corpus) index.put(a.id, a);
  return index;
}

const top = (index: SearchIndex, q: string) => index.search(q)[0]?.id;

describe("knowledge-base search: Chinese without spaces", () => {
  const index = indexOf(ZH_CORPUS);

  it("cuts a spaceless query into words and character pairs (whitespace splitting would give one term)", () => {
    expect("怎么申请退款".split(/\s+/)).toHaveLength(1);
    const terms = tokenize("怎么申请退款");
    expect(terms).toEqual(expect.arrayContaining(["申请", "退款"]));
    // A question word says nothing about the topic.
    expect(terms).not.toContain("怎么");
    expect(tokenize("快递没到")).toEqual(expect.arrayContaining(["快递", "没到"]));
  });

  it.each([
    ["怎么申请退款", "refund"],
    ["快递没到", "logistics"],
    ["物流三天没更新", "logistics"],
    ["退货运费谁出", "return-fee"],
    ["收到的东西破损了想换货", "exchange"],
    ["发票开错了", "invoice"],
    ["忘记密码登不上", "password"],
    ["耳机坏了能保修吗", "warranty"],
    ["积分怎么兑换", "points"],
  ])("%s finds %s first", (query, expected) => {
    expect(top(index, query)).toBe(expected);
  });

  it("a query with nothing in common with the articles finds nothing, rather than noise", () => {
    expect(index.search("今天天气不错")).toEqual([]);
    expect(index.search("   ")).toEqual([]);
  });

  it("full-width letters and digits match their ASCII forms", () => {
    const i = new SearchIndex();
    i.put("model", { title: "AB12 型号说明", tags: [], body: "适用于 AB12 耳机" });
    expect(top(i, "ＡＢ１２")).toBe("model");
  });
});

describe("knowledge-base search: English", () => {
  const index = indexOf(EN_CORPUS);

  it("folds case and strips plural and tense endings", () => {
    expect(tokenize("REFUNDED Refunds refunding")).toEqual(["refund", "refund", "refund"]);
    expect(stem("shipping")).toBe("ship");
    expect(stem("delivered")).toBe("deliver");
    expect(stem("invoices")).toBe("invoice");
    expect(stem("address")).toBe("address");
  });

  it.each([
    ["I want my money REFUNDED", "en-refund"],
    ["my parcel was never delivered", "en-delivery"],
    ["PASSWORDS", "en-password"],
    ["wrong company name on invoices", "en-invoice"],
    ["headphones need a repair", "en-warranty"],
  ])("%s finds %s first", (query, expected) => {
    expect(top(index, query)).toBe(expected);
  });
});

describe("the index follows writes", () => {
  it("a replaced article is found by its new words only, a removed one not at all", () => {
    const index = indexOf(ZH_CORPUS);
    index.put("points", { title: "会员等级说明", tags: ["会员"], body: "消费满额自动升级为金卡会员。" });
    expect(index.search("积分兑换").map((h) => h.id)).not.toContain("points");
    expect(top(index, "金卡会员怎么升级")).toBe("points");
    index.remove("points");
    expect(index.search("金卡会员")).toEqual([]);
    expect(index.size).toBe(ZH_CORPUS.length - 1);
  });
});
