import { describe, expect, it } from "vitest";
import { type ChatPlatform, inboundRecipient } from "../../core/chat/platform.ts";
import { NotificationRouter } from "../../core/notify/router.ts";
import type { OutboxItem } from "../../core/ports.ts";
import { demoDirectory } from "../support/directory.ts";

const dir = demoDirectory();

function platform(id: string, reaches: (p: { id: string }) => boolean) {
  const calls: string[] = [];
  const p: ChatPlatform = {
    id,
    capabilities: { urgent: false, updateCards: true, directMessages: true },
    reaches,
    async deliver(person, items) {
      calls.push(`deliver:${person.id}:${items.length}`);
      return { ok: true };
    },
    async updatePlacement(placement) {
      calls.push(`update:${placement.messageId}`);
      return { ok: true };
    },
    async handleInbound(item) {
      calls.push(`inbound:${item.key}`);
      return { ok: true };
    },
  };
  return { p, calls };
}

const item = (key: string, payload: Record<string, unknown> = {}): OutboxItem => ({
  key,
  kind: "nudge",
  recipient: "eng-liu",
  ticket: "CS2026110001",
  payload,
  createdAt: "2026-11-23T02:00:00Z",
  attempts: 0,
  nextAttemptAt: "2026-11-23T02:00:00Z",
});

describe("notification router", () => {
  it("prefers the ticket's own platform when it reaches the person, else the first that does", async () => {
    const a = platform("alpha", () => true);
    const b = platform("beta", (p) => p.id === "eng-liu");
    const router = new NotificationRouter(dir, [a.p, b.p]);
    await router.deliver("eng-liu", [item("k1", { platform: "beta" })]);
    await router.deliver("eng-liu", [item("k2", { platform: "gamma" })]);
    expect(b.calls).toEqual(["deliver:eng-liu:1"]);
    expect(a.calls).toEqual(["deliver:eng-liu:1"]);
  });

  it("routes inbound events and card refreshes to their platform", async () => {
    const a = platform("alpha", () => true);
    const router = new NotificationRouter(dir, [a.p]);
    await router.deliver("inbound:alpha", [item("e1"), item("e2")]);
    await router.deliver(inboundRecipient("alpha", "oc_chat"), [item("e4")]);
    await router.deliver("place:alpha:chat:m1", [
      item("u1", { placement: { platform: "alpha", chatId: "chat", messageId: "m1" } }),
    ]);
    expect(a.calls).toEqual(["inbound:e1", "inbound:e2", "inbound:e4", "update:m1"]);
    expect((await router.deliver("inbound:beta", [item("e3")])).ok).toBe(false);
  });

  it("says plainly when nobody can be reached, unless a fallback takes it", async () => {
    const none = new NotificationRouter(dir, [platform("alpha", () => false).p]);
    expect(await none.deliver("eng-liu", [item("k")])).toMatchObject({ ok: false, permanent: true });
    expect(await none.deliver("ghost", [item("k")])).toMatchObject({ ok: false, permanent: true });
    const seen: string[] = [];
    const withFallback = new NotificationRouter(dir, [], {
      deliver: async (r) => {
        seen.push(r);
        return { ok: true };
      },
    });
    expect(await withFallback.deliver("eng-liu", [item("k")])).toEqual({ ok: true });
    expect(seen).toEqual(["eng-liu"]);
  });
});
