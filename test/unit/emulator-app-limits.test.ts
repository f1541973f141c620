import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeishuEmulator } from "../../adapters/feishu/emulator/index.ts";
import { readTeamsConfig } from "../../adapters/teams/config.ts";
import { TeamsEmulator } from "../../adapters/teams/emulator/index.ts";
import { BotTokenClient } from "../../adapters/teams/token-client.ts";

let feishu: FeishuEmulator;
let teams: TeamsEmulator;
beforeAll(async () => {
  feishu = new FeishuEmulator();
  await feishu.start();
  teams = await new TeamsEmulator().start();
});
afterAll(async () => {
  await feishu.stop();
  await teams.stop();
});

describe("the emulators' app-wide send limits (off unless set)", () => {
  it("Feishu answers 429 / 99991400 with the rate-limit headers past the app's sends a second", async () => {
    const { tenant_access_token: token } = (await (
      await fetch(`${feishu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ app_id: feishu.appId, app_secret: feishu.appSecret }),
      })
    ).json()) as { tenant_access_token: string };
    // a chat each, so only the app-wide limit can refuse
    const users = Array.from({ length: 4 }, (_, i) => feishu.addUser({ name: `u${i}` }));
    const send = (openId: string) =>
      fetch(`${feishu.url}/open-apis/im/v1/messages?receive_id_type=open_id`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          receive_id: openId,
          msg_type: "text",
          content: JSON.stringify({ text: "hi" }),
        }),
      });
    const before = await Promise.all(users.map((u) => send(u.open_id)));
    expect(before.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    feishu.appSendsPerSecond = 3;
    feishu.now = () => 1_000_000; // one instant: only the count decides
    try {
      const answers = [];
      for (const u of users) answers.push(await send(u.open_id));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      const refused = answers[3]!;
      expect(((await refused.json()) as { code: number }).code).toBe(99991400);
      expect(refused.headers.get("x-ogw-ratelimit-reset")).toBe("1");
    } finally {
      feishu.appSendsPerSecond = undefined;
      feishu.now = () => Date.now();
    }
  });

  it("Teams answers 429 with Retry-After past the app's sends a second across conversations", async () => {
    const token = await new BotTokenClient(readTeamsConfig(teams.env()), { now: () => new Date() }).token();
    const conversations = Array.from({ length: 3 }, (_, i) => {
      const id = `19:bench${i}@thread.tacv2`;
      teams.connector.conversation(id, "channel");
      return id;
    });
    teams.connector.appSendsPerSecond = 2;
    teams.connector.now = () => 5_000; // one instant: only the count decides
    const post = (conversation: string) =>
      fetch(`${teams.serviceUrl}v3/conversations/${encodeURIComponent(conversation)}/activities`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ type: "message", text: "hello" }),
      });
    const statuses = [];
    for (const c of conversations) statuses.push((await post(c)).status);
    expect(statuses).toEqual([201, 201, 429]);
    const calls = teams.connector.calls.filter((c) => c.status === 429);
    expect(calls).toHaveLength(1);
  });
});
