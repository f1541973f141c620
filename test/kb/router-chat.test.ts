import { describe, expect, it } from "vitest";
import type { ChatPlatform } from "../../core/chat/platform.ts";
import { chatRecipient } from "../../core/chat/platform.ts";
import { NotificationRouter } from "../../core/notify/router.ts";
import type { DeliveryOutcome, NotificationSink, OutboxItem } from "../../core/ports.ts";
import { demoDirectory } from "../support/directory.ts";

const row = (recipient: string): OutboxItem => ({
  key: "CS1:kb_answer:kb-a",
  kind: "kb_answer",
  recipient,
  ticket: "CS1",
  payload: {},
  createdAt: "2026-11-23T02:00:00.000Z",
  attempts: 0,
  nextAttemptAt: "2026-11-23T02:00:00.000Z",
});

function platform(id: string, posted: OutboxItem[], withPost = true): ChatPlatform {
  const ok = async (): Promise<DeliveryOutcome> => ({ ok: true });
  return {
    id,
    capabilities: { urgent: false, updateCards: true, directMessages: true },
    reaches: () => true,
    deliver: async () => ({ ok: false, error: "a chat row went to a person" }),
    updatePlacement: ok,
    ...(withPost
      ? {
          postToChat: async (items: readonly OutboxItem[]) => {
            posted.push(...items);
            return { ok: true } as const;
          },
        }
      : {}),
  };
}

describe("outbox rows addressed to a chat", () => {
  it("go to the chat's own platform, never to a person", async () => {
    const feishu: OutboxItem[] = [];
    const teams: OutboxItem[] = [];
    const router = new NotificationRouter(demoDirectory(), [
      platform("teams", teams),
      platform("feishu", feishu),
    ]);
    const item = row(chatRecipient("feishu", "oc_1"));
    expect(await router.deliver(item.recipient, [item])).toEqual({ ok: true });
    expect(feishu).toEqual([item]);
    expect(teams).toEqual([]);
  });

  it("fall back to the sandbox inbox where no platform posts into chats, else fail for good", async () => {
    const seen: string[] = [];
    const inbox: NotificationSink = {
      deliver: async (recipient) => {
        seen.push(recipient);
        return { ok: true };
      },
    };
    const item = row(chatRecipient("dingtalk", "cid=="));
    const withInbox = new NotificationRouter(demoDirectory(), [platform("dingtalk", [], false)], inbox);
    expect(await withInbox.deliver(item.recipient, [item])).toEqual({ ok: true });
    expect(seen).toEqual(["chat:dingtalk:cid=="]);
    const without = new NotificationRouter(demoDirectory(), []);
    expect(await without.deliver(item.recipient, [item])).toMatchObject({ ok: false, permanent: true });
  });
});
