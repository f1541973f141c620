import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";
import { until } from "../support/until.ts";

let s: TestServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

interface Msg {
  id: string;
  bot: boolean;
  html?: string;
  text?: string;
  buttons?: { value?: { action: string }; form?: number }[];
}

describe("sandbox playground (DingTalk)", () => {
  it("chats through the real adapter, dingtalk-stream and the local DingTalk, with working card buttons", async () => {
    s = await startTestServer();
    const page = await s.call("GET", "/playground");
    expect(page.text).toContain("钉钉");
    const chats = await s.call("GET", "/playground/api/dingtalk/chats?as=agent-li");
    const group = chats.body.items.find((c: { kind: string }) => c.kind === "group").id as string;
    const sent = await s.call(
      "POST",
      `/playground/api/dingtalk/chats/${encodeURIComponent(group)}/messages`,
      {
        body: { as: "agent-li", text: "@closeloop 新工单 客户张先生的X200手机无法开机，一直死机" },
      },
    );
    expect(sent.status).toBe(200);
    const read = () => s!.call("GET", `/playground/api/dingtalk/chats/${encodeURIComponent(group)}/messages`);
    const withCard = await until(read, (r) =>
      r.body.items.some((m: Msg) => m.bot && m.html?.includes("X200")),
    );
    const cardMsg = withCard.body.items.find((m: Msg) => m.bot && m.html?.includes("X200")) as Msg;
    const start = cardMsg.buttons!.find((b) => b.value?.action === "start")!;
    const list = await s.call("GET", "/api/v1/tickets?q=X200");
    const { owner, number } = list.body.items[0] as { owner: string; number: string };
    await s.call("POST", "/playground/api/dingtalk/click", {
      body: { as: owner, messageId: cardMsg.id, value: start.value },
    });
    const after = await s.call("GET", `/api/v1/tickets/${number}`);
    expect(after.body.status).toBe("in_progress");
    const updated = await until(read, (r) =>
      r.body.items.some((m: Msg) => m.id === cardMsg.id && m.html?.includes("处理中")),
    );
    expect(updated.body.items.find((m: Msg) => m.id === cardMsg.id).html).toContain("处理中");
  });
});
