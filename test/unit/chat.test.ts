import { describe, expect, it } from "vitest";
import { commandOfClick, createBodyOfFields } from "../../core/chat/actions.ts";
import { parseChatCommand } from "../../core/chat/grammar.ts";
import { chatHelp } from "../../core/chat/help.ts";

describe("chat command grammar", () => {
  it.each([
    ["/ticket 客户的 X200 无法开机", { kind: "create", description: "客户的 X200 无法开机" }],
    ["新工单 物流一直没更新", { kind: "create", description: "物流一直没更新" }],
    ["新工单：退款申请", { kind: "create", description: "退款申请" }],
    ["工单 cs2026110007", { kind: "show", number: "CS2026110007" }],
    ["/ticket CS2026110007", { kind: "show", number: "CS2026110007" }],
    ["CS2026110007", { kind: "show", number: "CS2026110007" }],
    ["投诉 店员态度差", { kind: "create", description: "投诉 店员态度差" }],
    ["报修 空调不制冷", { kind: "create", description: "报修 空调不制冷" }],
    ["/ticket", { kind: "create_form" }],
    ["新工单", { kind: "create_form" }],
    ["我的工单", { kind: "mine" }],
    ["/mine", { kind: "mine" }],
    ["看板", { kind: "board" }],
    ["/BOARD", { kind: "board" }],
    ["帮助", { kind: "help" }],
    ["/help", { kind: "help" }],
    ["", { kind: "help" }],
    ["今天天气怎么样", { kind: "unknown", text: "今天天气怎么样" }],
    ["/tickets please", { kind: "unknown", text: "/tickets please" }],
  ])("%s", (text, expected) => {
    expect(parseChatCommand(text)).toEqual(expected);
  });

  it("helps in both languages", () => {
    expect(chatHelp("zh-CN")).toContain("新工单");
    expect(chatHelp("en")).toContain("/ticket");
  });
});

describe("card clicks", () => {
  it("maps each button and its form inputs to a command body", () => {
    expect(commandOfClick({ action: "start", ticket: "CS1", version: 3 })).toEqual({
      command: "start",
      body: { version: 3 },
    });
    expect(
      commandOfClick({ action: "resolve", ticket: "CS1", version: 3, fields: { solution: " 已换新 " } }),
    ).toEqual({
      command: "resolve",
      body: { version: 3, solution: "已换新" },
    });
    expect(
      commandOfClick({ action: "dispute", ticket: "CS1", version: 4, fields: { reason: "还是坏的" } }),
    ).toEqual({
      command: "confirm",
      body: { version: 4, result: "disputed", reason: "还是坏的" },
    });
    expect(
      commandOfClick({
        action: "survey",
        ticket: "CS1",
        version: 5,
        fields: { resolutionScore: "2", attitudeScore: 4, method: "phone" },
      }).body,
    ).toMatchObject({ resolutionScore: 2, attitudeScore: 4, method: "phone" });
    // A nudge is never refused as stale: the version only guards moves.
    expect(commandOfClick({ action: "nudge", ticket: "CS1", version: 1 })).toEqual({
      command: "nudge",
      body: {},
    });
  });

  it("turns the new-ticket form into a create body, leaving out empty inputs", () => {
    expect(
      createBodyOfFields(
        { description: "无法开机", customerName: "张先生", phone: "", priority: "urgent" },
        { platform: "feishu", chatId: "oc_1" },
      ),
    ).toEqual({
      description: "无法开机",
      customer: { name: "张先生" },
      priority: "urgent",
      origin: { platform: "feishu", chatId: "oc_1" },
    });
  });
});
