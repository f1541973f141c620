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
  buttons?: { value?: { action: string } }[];
}

describe("sandbox playground (Feishu)", () => {
  it("chats as a demo person through the real adapter and the local Feishu, with working card buttons", async () => {
    s = await startTestServer();
    const page = await s.call("GET", "/playground");
    expect(page.status).toBe(200);
    expect(page.text).toContain("closeloop playground");
    const people = await s.call("GET", "/playground/api/feishu/people");
    expect(people.body.items.map((p: { id: string }) => p.id)).toContain("agent-li");
    const chats = await s.call("GET", "/playground/api/feishu/chats?as=agent-li");
    const group = chats.body.items.find((c: { kind: string }) => c.kind === "group").id as string;

    const sent = await s.call("POST", `/playground/api/feishu/chats/${group}/messages`, {
      body: { as: "agent-li", text: "@closeloop 新工单 客户张先生的X200手机无法开机，一直死机" },
    });
    expect(sent.status).toBe(200);
    const read = () => s!.call("GET", `/playground/api/feishu/chats/${group}/messages`);
    const withCard = await until(read, (r) => r.body.items.some((m: Msg) => m.bot && m.html));
    const cardMsg = withCard.body.items.find((m: Msg) => m.bot && m.html) as Msg;
    expect(cardMsg.html).toContain("X200");
    const start = cardMsg.buttons!.find((b) => b.value?.action === "start")!;
    const list = await s.call("GET", "/api/v1/tickets?q=X200");
    const owner = list.body.items[0].owner as string;
    const click = await s.call("POST", "/playground/api/feishu/click", {
      body: { as: owner, messageId: cardMsg.id, value: start.value },
    });
    expect(click.body.toast.en).toMatch(/^Started/);
    const after = await s.call("GET", `/api/v1/tickets/${list.body.items[0].number}`);
    expect(after.body.status).toBe("in_progress");
  });
});
