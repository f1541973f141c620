import { describe, expect, it } from "vitest";
import { byCreation } from "../../core/notify/dispatcher-lanes.ts";
import type { OutboxItem } from "../../core/ports.ts";
import type { TicketEvent } from "../../core/ticket/events.ts";
import { fold } from "../../core/ticket/state.ts";
import { webhookBody } from "../../core/webhooks/body.ts";
import { outcomeOf } from "../../core/webhooks/delivery.ts";
import { webhookEventsOf } from "../../core/webhooks/event.ts";
import { WebhookFanout } from "../../core/webhooks/fanout.ts";
import { planWebhookFanout, WEBHOOK_FANOUT } from "../../core/webhooks/fanout-intents.ts";
import type { WebhookSubscription } from "../../core/webhooks/subscription.ts";
import { demoCreated } from "../support/directory.ts";

const AT = "2026-11-23T02:00:00.000Z";
const created = demoCreated({
  description: "回电 138****5678",
  customer: {
    name: "张先生",
    phone: { cipher: "v1.a.b.c", masked: "138****5678", hash: "h" },
    type: "new",
    tags: [],
  },
  owner: "eng-liu",
});
const meta = (actor: string) => ({ at: AT, actor, via: "web" as const });
const timeline: TicketEvent[] = [
  created,
  { ...meta("system"), type: "deadlines_set", due: {} },
  {
    ...meta("system"),
    type: "escalated",
    to: ["head-tech"],
    level: 1,
    reasons: [{ kind: "angry", text: { "zh-CN": "客户情绪激动", en: "angry customer" } }],
  },
  { ...meta("eng-liu"), type: "started" },
  { ...meta("eng-liu"), type: "commented", text: "在查" },
  { ...meta("eng-liu"), type: "resolved", solution: "已更换，客户电话 13812345678" },
  { ...meta("agent-li"), type: "confirmed", result: "disputed", reason: "还是坏的" },
  { ...meta("agent-li"), type: "reopened", reason: "还是坏的" },
  { ...meta("eng-liu"), type: "resolved", solution: "再次更换" },
  {
    ...meta("agent-li"),
    type: "surveyed",
    resolutionScore: 2,
    attitudeScore: 5,
    method: "online_survey",
    suggestion: "快一点",
    remedy: true,
  },
];

describe("webhook events from a ticket's timeline", () => {
  const events = webhookEventsOf(undefined, timeline);

  it("one per event that matters, with a stable id that sorts in timeline order", () => {
    expect(events.map((e) => `${e.id} ${e.type}`)).toEqual([
      "evt_CS2026110001_000001 ticket.created",
      "evt_CS2026110001_000003 ticket.escalated",
      "evt_CS2026110001_000004 ticket.status_changed",
      "evt_CS2026110001_000006 ticket.status_changed",
      "evt_CS2026110001_000008 ticket.status_changed",
      "evt_CS2026110001_000009 ticket.status_changed",
      "evt_CS2026110001_000010 survey.answered",
    ]);
    // computed from a later point, the ids are the same: a replay can never make a second event
    const later = webhookEventsOf(fold(timeline.slice(0, 5)), timeline.slice(5));
    expect(later.map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));
  });

  it("say what changed, with the ticket as it was right after, and no raw contact", () => {
    const changes = events.filter((e) => e.type === "ticket.status_changed").map((e) => e.data);
    expect(changes.map((d) => `${d.from}>${d.to}`)).toEqual([
      "pending>in_progress",
      "in_progress>resolved",
      "resolved>in_progress",
      "in_progress>resolved",
    ]);
    expect(changes[1]).toMatchObject({ solution: "已更换，客户电话 138****5678", by: "eng-liu" });
    expect(changes[2]).toMatchObject({ reason: "还是坏的" });
    expect(events[0]!.ticket).toMatchObject({ status: "pending", owner: "eng-liu", department: "tech" });
    expect(events[0]!.data.customer).toEqual({ name: "张先生", type: "new", contact: "138****5678" });
    expect(events.at(-1)!.data).toMatchObject({
      resolutionScore: 2,
      attitudeScore: 5,
      method: "online_survey",
      remedy: true,
    });
    expect(events[1]!.data).toMatchObject({ level: 1, to: ["head-tech"] });
    expect(JSON.stringify(events)).not.toMatch(/1[3-9]\d{9}/);
    expect(JSON.stringify(events)).not.toContain("v1.a.b.c");
  });

  it("queue one fan-out row each, keyed by the event", () => {
    const rows = planWebhookFanout(undefined, timeline);
    expect(rows.map((r) => r.key)).toEqual(events.map((e) => `webhook-event:${e.id}`));
    expect(new Set(rows.map((r) => r.recipient))).toEqual(new Set([WEBHOOK_FANOUT]));
  });
});

describe("fanning an event out", () => {
  const sub = (id: string, events: WebhookSubscription["events"], active = true): WebhookSubscription => ({
    id,
    url: `https://example.com/${id}`,
    events,
    active,
    secret: "s".repeat(20),
    source: "config",
  });
  const item = (eventIndex: number, createdAt: string): OutboxItem => {
    const intent = planWebhookFanout(undefined, timeline)[eventIndex]!;
    return { ...intent, createdAt, attempts: 0, nextAttemptAt: createdAt };
  };

  it("gives each active subscription that wants it a row, keyed so a second fan-out adds nothing", async () => {
    const queued: string[] = [];
    const store = {
      enqueue: async (rows: readonly { key: string }[]) => {
        const fresh = rows.filter((r) => !queued.includes(r.key));
        queued.push(...fresh.map((r) => r.key));
        return fresh.length;
      },
    };
    const registry = {
      list: async () => [sub("all", ["*"]), sub("surveys", ["survey.answered"]), sub("off", ["*"], false)],
    };
    const fanout = new WebhookFanout({ registry, store });
    expect(await fanout.deliver([item(0, AT)])).toEqual({ ok: true });
    expect(await fanout.deliver([item(0, AT)])).toEqual({ ok: true });
    expect(await fanout.deliver([item(6, AT)])).toEqual({ ok: true });
    expect(queued).toEqual([
      `webhook:all:${AT}:evt_CS2026110001_000001`,
      `webhook:all:${AT}:evt_CS2026110001_000010`,
      `webhook:surveys:${AT}:evt_CS2026110001_000010`,
    ]);
  });

  it("keeps a subscription's order when rows land in the same millisecond", async () => {
    const rows: OutboxItem[] = [];
    const store = {
      enqueue: async (intents: readonly Omit<OutboxItem, "createdAt" | "attempts" | "nextAttemptAt">[]) => {
        // the store stamps the time of the write: here, the same millisecond for both
        for (const i of intents) rows.push({ ...i, createdAt: AT, attempts: 0, nextAttemptAt: AT });
        return intents.length;
      },
    };
    const fanout = new WebhookFanout({ registry: { list: async () => [sub("all", ["*"])] }, store });
    // Event rows of two writes, the earlier one of a ticket whose number sorts later, fanned out in order.
    const withId = (index: number, id: string, createdAt: string): OutboxItem => {
      const base = item(index, createdAt);
      const event = { ...(base.payload.event as object), id };
      return { ...base, key: `webhook-event:${id}`, payload: { event } };
    };
    await fanout.deliver([withId(2, "evt_CS2026110009_000004", "2026-11-23T02:00:00.001Z")]);
    await fanout.deliver([withId(3, "evt_CS2026110001_000006", "2026-11-23T02:00:00.002Z")]);
    expect([...rows].sort(byCreation).map((r) => (r.payload.event as { id: string }).id)).toEqual([
      "evt_CS2026110009_000004",
      "evt_CS2026110001_000006",
    ]);
  });
});

describe("what a receiver's answer means", () => {
  it("2xx is done; 5xx, 429, 408 and no answer are retried (Retry-After honoured); other codes only slowly", () => {
    expect(outcomeOf("h", { status: 204 })).toEqual({ ok: true });
    expect(outcomeOf("h", { status: 503, retryAfterMs: 5000 })).toEqual({
      ok: false,
      error: "POST h: HTTP 503",
      retryAfterMs: 5000,
    });
    expect(outcomeOf("h", { status: 429 })).toMatchObject({ ok: false });
    expect(outcomeOf("h", { status: 429 })).not.toHaveProperty("permanent");
    expect(outcomeOf("h", { error: "no answer within 300 ms" })).toEqual({
      ok: false,
      error: "POST h: no answer within 300 ms",
    });
    expect(outcomeOf("h", { status: 401 })).toMatchObject({ ok: false, permanent: true });
    expect(outcomeOf("h", { status: 302 })).toMatchObject({
      ok: false,
      permanent: true,
      error: expect.stringContaining("redirects"),
    });
  });
});

describe("event bodies", () => {
  const event = webhookEventsOf(undefined, timeline)[0]!;

  it("are the event as JSON while it fits", () => {
    expect(JSON.parse(webhookBody(event, 65_536))).toEqual(event);
  });

  it("cut free text short, and say so, rather than exceed the bound", () => {
    const long = { ...event, data: { ...event.data, description: "很长的描述".repeat(2000) } };
    const body = webhookBody(long, 4096);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(4096);
    const parsed = JSON.parse(body);
    expect(parsed.id).toBe(event.id);
    expect(parsed.data.truncated).toBe(true);
    expect(parsed.data.description.length).toBeLessThanOrEqual(201);
    const tiny = JSON.parse(webhookBody(long, 600));
    expect(tiny).toMatchObject({ id: event.id, type: "ticket.created", data: { truncated: true } });
  });
});
