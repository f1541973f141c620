import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import { configSchema } from "../../core/config/schema.ts";
import type { NotificationSink, TicketRecord } from "../../core/ports.ts";
import { webhookEventsOf } from "../../core/webhooks/event.ts";
import { verifyWebhook, WEBHOOK_HEADERS } from "../../core/webhooks/signature.ts";
import { buildCloseloop, type Closeloop } from "../../main.ts";
import { type Received, startReceiver, waitFor } from "./support/receiver.ts";

const SECRETS = { WH_CRM: "crm-secret-0123456789abcdef", WH_BI: "bi-secret-0123456789abcdef" };
const okSink: NotificationSink = { deliver: async () => ({ ok: true }) };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function boot(dir: string, receiverUrl: string): Promise<Closeloop> {
  const cl = await buildCloseloop({
    config: configSchema.parse({
      webhooks: {
        timeoutMs: 300,
        subscriptions: [
          { id: "crm", url: `${receiverUrl}/crm`, secretEnv: "WH_CRM" },
          {
            id: "bi",
            url: `${receiverUrl}/bi`,
            secretEnv: "WH_BI",
            events: ["ticket.created", "survey.answered"],
          },
        ],
      },
    }),
    env: readEnvironment({ CLOSELOOP_DATA_DIR: dir }),
    logger: createLogger({ destination: { write: () => undefined } }),
    sink: okSink,
    platformModules: [],
    processEnv: SECRETS,
    dispatcherOptions: { baseBackoffMs: 20, maxBackoffMs: 200, pollMs: 50 },
  });
  return cl;
}

const as = (actor: string) => ({ actor, via: "api" as const });

/** Every webhook event the tickets' timelines hold, in order per ticket. */
function expectedEvents(records: readonly TicketRecord[]) {
  return records.flatMap((r) => webhookEventsOf(undefined, r.events));
}

function checkSignature(r: Received, secret: string) {
  return verifyWebhook({
    secret,
    body: r.body,
    timestamp: r.headers[WEBHOOK_HEADERS.timestamp] as string,
    signature: r.headers[WEBHOOK_HEADERS.signature] as string,
  });
}

describe("outbound webhooks through the outbox", () => {
  it("delivers every event once, signed and in order, despite a 500, a timeout and a restart", async () => {
    // The receiver fails the first event on /crm twice: a 500, then no answer at all.
    let failing: string | undefined;
    const receiver = await startReceiver((path, eventId, attempt) => {
      if (path !== "/crm") return undefined;
      failing ??= eventId;
      if (eventId !== failing) return undefined;
      return attempt === 1 ? 500 : attempt === 2 ? "hang" : undefined;
    });
    cleanup.push(() => receiver.close());
    const dir = mkdtempSync(join(tmpdir(), "closeloop-webhooks-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));

    let cl = await boot(dir, receiver.url);
    cl.dispatcher.start();
    const t1 = await cl.service.create(as("agent-li"), {
      description: "X200 无法开机，回电 13900001111",
      department: "tech",
      owner: "eng-liu",
      customer: { name: "张先生", phone: "13900001111" },
    });
    const t2 = await cl.service.create(as("agent-li"), {
      description: "滤网多久换一次",
      department: "support",
    });

    // Both failures happen; then the process goes down with the event still undelivered.
    await waitFor(
      () => receiver.received.filter((r) => r.path === "/crm").length >= 2,
      "the two failed attempts",
    );
    expect(receiver.received.filter((r) => r.path === "/crm").map((r) => r.answer)).toEqual([500, "hang"]);
    await cl.close();

    // Changes while no dispatcher runs: their rows wait in the store.
    cl = await boot(dir, receiver.url);
    cleanup.push(() => cl.close());
    const n1 = t1.state.number;
    let v = (await cl.service.execute(n1, "start", { version: t1.state.version }, as("eng-liu"))).record.state
      .version;
    v = (await cl.service.execute(n1, "resolve", { version: v, solution: "更换主板" }, as("eng-liu"))).record
      .state.version;
    v = (await cl.service.execute(n1, "confirm", { version: v, result: "confirmed" }, as("agent-li"))).record
      .state.version;
    await cl.service.execute(
      n1,
      "survey",
      { version: v, resolutionScore: 5, attitudeScore: 4, method: "phone", suggestion: "=1+1 很好" },
      as("agent-li"),
    );
    const t3 = await cl.service.create(as("agent-li"), {
      description: "客户非常生气，说要找媒体曝光",
      department: "complaints",
      mood: "angry",
    });

    const records = await Promise.all([n1, t2.state.number, t3.state.number].map((n) => cl.service.get(n)));
    const expected = expectedEvents(records);
    const types = new Set(expected.map((e) => e.type));
    expect(types).toEqual(
      new Set(["ticket.created", "ticket.status_changed", "ticket.escalated", "survey.answered"]),
    );
    const forBi = expected.filter((e) => e.type === "ticket.created" || e.type === "survey.answered");

    cl.dispatcher.start();
    await waitFor(
      () =>
        receiver.accepted("/crm").length >= expected.length &&
        receiver.accepted("/bi").length >= forBi.length,
      "every event accepted",
    );
    await cl.dispatcher.stop();

    // Each event accepted exactly once per subscription, nothing else accepted.
    const ids = (path: string) => receiver.accepted(path).map((r) => r.headers[WEBHOOK_HEADERS.eventId]);
    expect([...ids("/crm")].sort()).toEqual(expected.map((e) => e.id).sort());
    expect([...ids("/bi")].sort()).toEqual(forBi.map((e) => e.id).sort());

    // The failing event got three attempts with one body; everything on /crm waited behind it, in order.
    const tries = receiver.received.filter(
      (r) => r.headers[WEBHOOK_HEADERS.eventId] === failing && r.path === "/crm",
    );
    expect(tries.map((r) => r.answer)).toEqual([500, "hang", 200]);
    expect(new Set(tries.map((r) => r.body)).size).toBe(1);
    expect(tries.map((r) => r.headers[WEBHOOK_HEADERS.attempt])).toEqual(["1", "2", "3"]);
    expect(ids("/crm")[0]).toBe(failing);
    const order = (list: readonly { ticket: string; id: string }[]) => {
      const byTicket = new Map<string, string[]>();
      for (const e of list) byTicket.set(e.ticket, [...(byTicket.get(e.ticket) ?? []), e.id]);
      return byTicket;
    };
    const deliveredOrder = order(
      receiver.accepted("/crm").map((r) => ({
        ticket: JSON.parse(r.body).ticket.number,
        id: r.headers[WEBHOOK_HEADERS.eventId] as string,
      })),
    );
    expect(deliveredOrder).toEqual(order(expected.map((e) => ({ ticket: e.ticket.number, id: e.id }))));
    // /bi never waited for /crm's trouble: its first event went out before /crm's first success
    const firstBi = receiver.received.findIndex((r) => r.path === "/bi");
    const firstCrmOk = receiver.received.findIndex((r) => r.path === "/crm" && r.answer === 200);
    expect(firstBi).toBeLessThan(firstCrmOk);

    // Every request, failed ones too, carries a valid signature with its subscription's secret, and its headers
    // agree with its body.
    for (const r of receiver.received) {
      expect(checkSignature(r, r.path === "/crm" ? SECRETS.WH_CRM : SECRETS.WH_BI)).toEqual({ ok: true });
      expect(checkSignature(r, r.path === "/crm" ? SECRETS.WH_BI : SECRETS.WH_CRM).ok).toBe(false);
      const body = JSON.parse(r.body);
      expect(r.headers[WEBHOOK_HEADERS.eventId]).toBe(body.id);
      expect(r.headers[WEBHOOK_HEADERS.event]).toBe(body.type);
      expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(r.body).not.toContain("13900001111");
    }
    const created = JSON.parse(receiver.accepted("/crm")[0]!.body);
    expect(created).toMatchObject({
      type: "ticket.created",
      ticket: { number: n1, status: "pending", department: "tech", owner: "eng-liu" },
      data: { customer: { name: "张先生", contact: "139****1111" } },
    });
    const survey = receiver
      .accepted("/bi")
      .map((r) => JSON.parse(r.body))
      .find((b) => b.type === "survey.answered");
    expect(survey.data).toMatchObject({ resolutionScore: 5, attitudeScore: 4, method: "phone" });
    const status = receiver
      .accepted("/crm")
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.type === "ticket.status_changed");
    expect(status.map((b) => `${b.data.from}>${b.data.to}`)).toEqual([
      "pending>in_progress",
      "in_progress>resolved",
    ]);

    // Nothing is left in the outbox for either subscription or the fan-out.
    const left = await cl.store.dueOutbox("9999-01-01T00:00:00.000Z", 10_000);
    expect(left.filter((r) => r.recipient.startsWith("webhook") && !r.deliveredAt)).toEqual([]);
  });

  it("a crash between the receiver's 200 and the settle sends the same event id and body again", async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    const dir = mkdtempSync(join(tmpdir(), "closeloop-webhooks-"));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const cl = await boot(dir, receiver.url);
    cleanup.push(() => cl.close());
    await cl.service.create(as("agent-li"), { description: "屏幕碎了", department: "tech" });

    // The outbox rows a dispatcher would see, delivered through the real sink but never settled (the crash).
    const { OutboxDispatcher } = await import("../../core/notify/dispatcher.ts");
    const settleFails = {
      dueOutbox: (now: string, limit: number) => cl.store.dueOutbox(now, limit),
      onChange: () => () => undefined,
      settleOutbox: async (key: string, outcome: Parameters<typeof cl.store.settleOutbox>[1]) => {
        if (key.startsWith("webhook:crm:")) throw new Error("crash before settling");
        return cl.store.settleOutbox(key, outcome);
      },
    };
    const crashing = new OutboxDispatcher({
      store: settleFails,
      sink: cl.webhooks.sink(okSink),
      clock: { now: () => new Date() },
    });
    await crashing.runOnce(); // fans out
    await crashing.runOnce().catch(() => undefined); // delivers to /crm, settle fails
    expect(receiver.accepted("/crm")).toHaveLength(1);

    // After the restart a fresh dispatcher finds the row still due and sends it again: same id, same body.
    cl.dispatcher.start();
    await waitFor(() => receiver.accepted("/crm").length >= 2, "the redelivery");
    await cl.dispatcher.stop();
    const [first, again] = receiver.accepted("/crm");
    expect(again!.headers[WEBHOOK_HEADERS.eventId]).toBe(first!.headers[WEBHOOK_HEADERS.eventId]);
    expect(again!.body).toBe(first!.body);
    expect(again!.headers[WEBHOOK_HEADERS.attempt]).toBe("1");
    // a receiver that dedupes on the event id processes it once
    expect(new Set(receiver.accepted("/crm").map((r) => r.headers[WEBHOOK_HEADERS.eventId])).size).toBe(1);
  });
});
