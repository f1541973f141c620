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
  buttons?: { value?: { action: string; ticket: string } }[];
}

describe("sandbox playground (Teams)", () => {
  it("chats in a channel through the real adapter and the local Teams; card buttons run as Action.Execute", async () => {
    s = await startTestServer();
    const people = await s.call("GET", "/playground/api/teams/people");
    expect(people.body.items.map((p: { id: string }) => p.id)).toContain("agent-li");
    const chats = await s.call("GET", "/playground/api/teams/chats?as=agent-li");
    const channel = encodeURIComponent(chats.body.items.find((c: { kind: string }) => c.kind === "group").id);
    const sent = await s.call("POST", `/playground/api/teams/chats/${channel}/messages`, {
      body: { as: "agent-li", text: "@closeloop 新工单 客户张先生的X200手机无法开机，一直死机" },
    });
    expect(sent.status).toBe(200);
    const read = () => s!.call("GET", `/playground/api/teams/chats/${channel}/messages`);
    const withCard = await until(read, (r) => r.body.items.some((m: Msg) => m.bot && m.html));
    const cardMsg = withCard.body.items.find((m: Msg) => m.bot && m.html) as Msg;
    expect(cardMsg.html).toContain("X200");
    const start = cardMsg.buttons!.find((b) => b.value?.action === "start")!;
    const number = start.value!.ticket;
    const owner = (await s.call("GET", `/api/v1/tickets/${number}`)).body.owner as string;
    const click = await s.call("POST", "/playground/api/teams/click", {
      body: { as: owner, messageId: cardMsg.id, value: start.value },
    });
    expect(click.status).toBe(200);
    expect((await s.call("GET", `/api/v1/tickets/${number}`)).body.status).toBe("in_progress");
    // The shared card is replaced (PUT) with the new status for everyone.
    const updated = await until(read, (r) =>
      r.body.items.some((m: Msg) => m.id === cardMsg.id && m.html?.includes("处理中")),
    );
    expect(updated.body.items.find((m: Msg) => m.id === cardMsg.id).html).toContain("处理中");
  });
});
