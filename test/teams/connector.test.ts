import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Activity } from "../../adapters/teams/activity.ts";
import { readTeamsConfig } from "../../adapters/teams/config.ts";
import { ConnectorClient, MessageWritesBlockedError, retryAfter } from "../../adapters/teams/connector.ts";
import { TeamsEmulator } from "../../adapters/teams/emulator/index.ts";
import { escapeXml, mentionOf, readMessage } from "../../adapters/teams/mentions.ts";
import { ConversationLimiter } from "../../adapters/teams/rate-limit.ts";
import { BotTokenClient } from "../../adapters/teams/token-client.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { AAD, MONDAY_10 } from "./support.ts";

const clock = new ManualClock(MONDAY_10);
let em: TeamsEmulator;
let token: string;
beforeAll(async () => {
  em = await new TeamsEmulator({ clock }).start();
  em.addUser({ aadObjectId: AAD.agent, name: "李娜" });
  em.addUser({ aadObjectId: AAD.blocked, name: "Bob", blocked: true });
  token = await new BotTokenClient(readTeamsConfig(em.env()), clock).token();
});
afterAll(() => em.stop());

const card = (version = "1.5", extra: object = {}) => ({
  contentType: "application/vnd.microsoft.card.adaptive",
  content: { type: "AdaptiveCard", version, body: [{ type: "TextBlock", text: "hello" }], ...extra },
});

async function raw(method: string, path: string, body: unknown, auth = `Bearer ${token}`) {
  const res = await fetch(`${em.serviceUrl.replace(/\/$/, "")}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => ({}))) as {
      id?: string;
      error?: { code?: string; message?: string };
    },
    retryAfter: res.headers.get("retry-after"),
  };
}

function channelConversation(): string {
  const id = `${em.channel().id};messageid=${Date.now()}${Math.random().toString().slice(2, 8)}`;
  em.connector.conversation(id, "channel");
  return id;
}

const enc = encodeURIComponent;

describe("the emulated Bot Connector checks what the real one checks", () => {
  it("wants the bearer token its login host issued", async () => {
    const conv = channelConversation();
    expect(
      (await raw("POST", `/v3/conversations/${enc(conv)}/activities`, { type: "message", text: "x" }, ""))
        .status,
    ).toBe(401);
    expect(
      (
        await raw(
          "POST",
          `/v3/conversations/${enc(conv)}/activities`,
          { type: "message", text: "x" },
          "Bearer forged",
        )
      ).status,
    ).toBe(401);
    expect(
      (await raw("POST", `/v3/conversations/${enc(conv)}/activities`, { type: "message", text: "x" })).status,
    ).toBe(201);
  });

  it("decodes percent-encoded ids and refuses ids sent raw", async () => {
    const conv = channelConversation();
    expect(
      (await raw("POST", `/v3/conversations/${conv}/activities`, { type: "message", text: "x" })).status,
    ).toBe(400);
    const ok = await raw("POST", `/v3/conversations/${enc(conv)}/activities`, { type: "message", text: "x" });
    expect(ok.status).toBe(201);
    expect(em.connector.botActivities(conv)).toHaveLength(1);
  });

  it("checks mentions, card version and size", async () => {
    const conv = channelConversation();
    const path = `/v3/conversations/${enc(conv)}/activities`;
    const m = mentionOf("29:1abc", "A & <B>");
    expect((await raw("POST", path, { type: "message", text: `${m.text} hi`, entities: [m] })).status).toBe(
      201,
    );
    expect(
      (await raw("POST", path, { type: "message", text: "hi <at>A & <B></at>", entities: [m] })).body.error
        ?.code,
    ).toBe("BadArgument");
    expect((await raw("POST", path, { text: "no type" })).status).toBe(400);
    expect((await raw("POST", path, { type: "message", attachments: [card("1.5")] })).status).toBe(201);
    expect((await raw("POST", path, { type: "message", attachments: [card("1.6")] })).status).toBe(400);
    expect(
      (
        await raw("POST", path, {
          type: "message",
          attachments: [{ ...card(), content: { type: "AdaptiveCard", body: [] } }],
        })
      ).status,
    ).toBe(400);
    const big = await raw("POST", path, { type: "message", text: "x".repeat(120 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe("MessageSizeTooBig");
  });

  it("answers 429 with Retry-After when a conversation gets more than 7 sends a second", async () => {
    const conv = channelConversation();
    const path = `/v3/conversations/${enc(conv)}/activities`;
    const pinned = performance.now();
    em.connector.now = () => pinned; // every send arrives within the same second
    const statuses: Awaited<ReturnType<typeof raw>>[] = [];
    for (let i = 0; i < 9; i++) statuses.push(await raw("POST", path, { type: "message", text: "burst" }));
    em.connector.now = () => performance.now();
    const throttled = statuses.filter((s) => s.status === 429);
    expect(statuses.slice(0, 7).every((x) => x.status === 201)).toBe(true);
    expect(throttled).toHaveLength(2);
    expect(throttled[0]!.retryAfter).toBe("1");
  });

  it("PUT replaces the stored activity; replies need the activity they answer", async () => {
    const conv = channelConversation();
    const { body } = await raw("POST", `/v3/conversations/${enc(conv)}/activities`, {
      type: "message",
      text: "v1",
    });
    const put = await raw("PUT", `/v3/conversations/${enc(conv)}/activities/${enc(body.id!)}`, {
      type: "message",
      text: "v2",
    });
    expect(put.status).toBe(200);
    const [stored] = em.connector.botActivities(conv);
    expect(stored?.activity.text).toBe("v2");
    expect(stored?.updates).toBe(1);
    expect(
      (await raw("PUT", `/v3/conversations/${enc(conv)}/activities/unknown`, { type: "message" })).status,
    ).toBe(404);
    expect(
      (await raw("POST", `/v3/conversations/${enc(conv)}/activities/unknown`, { type: "message" })).status,
    ).toBe(404);
  });

  it("creates 1:1 chats only with the bot id, the tenant and a member who has the app", async () => {
    const base = {
      bot: { id: `28:${em.appId}` },
      isGroup: false,
      channelData: { tenant: { id: em.tenantId } },
    };
    const ok = await raw("POST", "/v3/conversations", { ...base, members: [{ id: AAD.agent }] });
    expect(ok.status).toBe(201);
    expect(ok.body.id).toMatch(/^a:/);
    const again = await raw("POST", "/v3/conversations", {
      ...base,
      members: [{ id: em.connector.users.get(AAD.agent)!.id }],
    });
    expect(again.body.id).toBe(ok.body.id);
    expect(
      (
        await raw("POST", "/v3/conversations", {
          ...base,
          bot: { id: "28:other" },
          members: [{ id: AAD.agent }],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await raw("POST", "/v3/conversations", {
          ...base,
          channelData: undefined,
          members: [{ id: AAD.agent }],
        })
      ).status,
    ).toBe(400);
    expect(
      (await raw("POST", "/v3/conversations", { ...base, members: [{ id: AAD.stranger }] })).status,
    ).toBe(404);
    const blocked = await raw("POST", "/v3/conversations", { ...base, members: [{ id: AAD.blocked }] });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error?.message).toContain("MessageWritesBlocked");
  });
});

describe("the adapter's connector client", () => {
  const client = (sleeps: number[] = []) =>
    new ConnectorClient({
      tokens: new BotTokenClient(readTeamsConfig(em.env()), clock),
      limiter: new ConversationLimiter(),
      retry: { tries: 3, baseMs: 1000, maxMs: 20_000, random: () => 0.5 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

  it("retries 429/412/502/504 with backoff, honouring Retry-After", async () => {
    const conv = channelConversation();
    const sleeps: number[] = [];
    em.connector.faults.push({ status: 429, retryAfterS: 3, remaining: 1 }, { status: 502, remaining: 1 });
    const { id } = await client(sleeps).post(em.serviceUrl, conv, { type: "message", text: "after faults" });
    expect(id).toBeTruthy();
    expect(sleeps).toEqual([3000, 2000]); // Retry-After, then 1 s * 2^1 with jitter at its midpoint
    em.connector.faults.push({ status: 504, remaining: 3 });
    await expect(client().post(em.serviceUrl, conv, { type: "message", text: "x" })).rejects.toThrow(
      /HTTP 504/,
    );
  });

  it("reports a blocked person without retrying", async () => {
    const create = client().createConversation(em.serviceUrl, {
      bot: { id: `28:${em.appId}` },
      members: [{ id: AAD.blocked }],
      isGroup: false,
      channelData: { tenant: { id: em.tenantId } },
    });
    await expect(create).rejects.toBeInstanceOf(MessageWritesBlockedError);
  });

  it("reads Retry-After as seconds or a date", () => {
    expect(retryAfter("2")).toBe(2000);
    expect(retryAfter(null)).toBeUndefined();
    expect(retryAfter("soon")).toBeUndefined();
  });
});

describe("per-conversation pacing", () => {
  it("lets at most 7 sends a second and 60 in 30 seconds through, per conversation", async () => {
    let now = 0;
    const limiter = new ConversationLimiter({
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const times: number[] = [];
    for (let i = 0; i < 70; i++) {
      await limiter.acquire("c1");
      times.push(now);
    }
    for (let i = 0; i < times.length; i++) {
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length).toBeLessThanOrEqual(7);
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + 30_000).length).toBeLessThanOrEqual(60);
    }
    const before = now;
    await limiter.acquire("c2"); // another conversation is not held back
    expect(now).toBe(before);
  });
});

describe("mentions", () => {
  it("escapes names and keeps the entity text verbatim in the message", () => {
    expect(escapeXml("A&B <x>")).toBe("A&amp;B &lt;x&gt;");
    const m = mentionOf("29:1", "A&B");
    expect(m).toEqual({ type: "mention", text: "<at>A&amp;B</at>", mentioned: { id: "29:1", name: "A&B" } });
  });

  it("strips the bot's mention and markup, reads the others from the entities", () => {
    const a = {
      text: "<p><at>closeloop</at> /ticket printer jam for <at>Liu</at> &amp; co</p>",
      recipient: { id: "28:bot" },
      entities: [
        { type: "mention", text: "<at>closeloop</at>", mentioned: { id: "28:bot", name: "closeloop" } },
        {
          type: "mention",
          text: "<at>Liu</at>",
          mentioned: { id: "29:liu", name: "Liu", aadObjectId: "aad-liu" },
        },
      ],
    } as unknown as Activity;
    expect(readMessage(a)).toEqual({
      text: "/ticket printer jam for Liu & co",
      mentioned: [{ id: "29:liu", aadObjectId: "aad-liu", name: "Liu" }],
    });
  });
});
