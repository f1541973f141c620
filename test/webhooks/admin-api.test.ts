import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookConfigSchema } from "../../core/webhooks/config-schema.ts";
import { verifyWebhook, WEBHOOK_HEADERS } from "../../core/webhooks/signature.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { startReceiver, waitFor } from "./support/receiver.ts";

let server: TestServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  process.env.WH_ADMIN_TEST_SECRET = "config-secret-0123456789";
  receiver = await startReceiver();
  server = await startTestServer({
    config: {
      webhooks: webhookConfigSchema.parse({
        enabled: true,
        subscriptions: [
          {
            id: "erp",
            url: `${receiver.url}/erp`,
            secretEnv: "WH_ADMIN_TEST_SECRET",
            events: ["survey.answered"],
          },
        ],
      }),
    },
  });
});
afterAll(async () => {
  await server.stop();
  await receiver.close();
});

describe("/api/v1/webhooks", () => {
  it("lists config subscriptions without their secrets, to admins only", async () => {
    const list = await server.call("GET", "/api/v1/webhooks", { as: "admin" });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      enabled: true,
      eventTypes: ["ticket.created", "ticket.status_changed", "ticket.escalated", "survey.answered"],
      headers: {
        signature: "x-closeloop-signature",
        timestamp: "x-closeloop-timestamp",
        eventId: "x-closeloop-event-id",
      },
    });
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: "erp",
        source: "config",
        events: ["survey.answered"],
        secretHint: "…6789",
      }),
    ]);
    expect(list.text).not.toContain("config-secret");
    const head = await server.call("GET", "/api/v1/webhooks", { as: "head-tech" });
    expect(head.status).toBe(403);
    expect(head.body.error.messages["zh-CN"]).toContain("管理员");
  });

  it("refuses hostile URLs and unknown events by name, and writes nothing", async () => {
    const bad: [unknown, string][] = [
      [{ url: "ftp://example.com/hook" }, "url"],
      [{ url: "javascript:alert(1)" }, "url"],
      [{ url: "https://user:pass@example.com/hook" }, "url"],
      [{ url: `https://example.com/${"a".repeat(2001)}` }, "url"],
      [{ url: "https://example.com/hook", events: ["ticket.deleted"] }, "events"],
      [{ url: "https://example.com/hook", secret: "mine" }, "secret"],
    ];
    for (const [body, field] of bad) {
      const res = await server.call("POST", "/api/v1/webhooks", { as: "admin", body });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
    const list = await server.call("GET", "/api/v1/webhooks", { as: "admin" });
    expect(list.body.items).toHaveLength(1);
    const config = await server.call("PATCH", "/api/v1/webhooks/erp", {
      as: "admin",
      body: { active: false },
    });
    expect(config.status).toBe(409);
    expect(config.body.error.messages.en).toContain("config file");
  });

  it("registers a URL, shows its secret once, keeps it sealed, and delivers signed events to it", async () => {
    const created = await server.call("POST", "/api/v1/webhooks", {
      as: "admin",
      body: { url: `${receiver.url}/crm`, events: ["ticket.created"], description: "CRM" },
    });
    expect(created.status).toBe(201);
    const { id, secret } = created.body;
    expect(id).toMatch(/^wh_[0-9a-f]{18}$/);
    expect(secret).toMatch(/^whsec_/);
    const shown = await server.call("GET", `/api/v1/webhooks/${id}`, { as: "admin" });
    expect(shown.body).toMatchObject({
      id,
      source: "api",
      active: true,
      createdBy: "admin",
      secretHint: `…${secret.slice(-4)}`,
    });
    expect(shown.text).not.toContain(secret);
    const doc = await server.closeloop.store.getDoc("webhooks", id);
    expect(JSON.stringify(doc)).not.toContain(secret);

    const ticket = await server.call("POST", "/api/v1/tickets", {
      as: "agent-li",
      body: {
        description: "X200 无法开机",
        department: "tech",
        customer: { name: "张先生", phone: "13912345678" },
      },
    });
    expect(ticket.status).toBe(201);
    await waitFor(() => receiver.accepted("/crm").length >= 1, "the ticket.created delivery");
    const got = receiver.accepted("/crm")[0]!;
    expect(JSON.parse(got.body)).toMatchObject({
      type: "ticket.created",
      ticket: { number: ticket.body.number },
    });
    expect(
      verifyWebhook({
        secret,
        body: got.body,
        timestamp: got.headers[WEBHOOK_HEADERS.timestamp] as string,
        signature: got.headers[WEBHOOK_HEADERS.signature] as string,
      }),
    ).toEqual({ ok: true });
    expect(got.body).not.toContain("13912345678");

    const rotated = await server.call("POST", `/api/v1/webhooks/${id}/rotate-secret`, { as: "admin" });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    const paused = await server.call("PATCH", `/api/v1/webhooks/${id}`, {
      as: "admin",
      body: { active: false },
    });
    expect(paused.body.active).toBe(false);
    expect((await server.call("DELETE", `/api/v1/webhooks/${id}`, { as: "admin" })).status).toBe(204);
    expect((await server.call("GET", `/api/v1/webhooks/${id}`, { as: "admin" })).status).toBe(404);
    expect((await server.call("DELETE", "/api/v1/webhooks/wh_nope", { as: "admin" })).status).toBe(404);
  });
});

describe("/api/v1/webhooks while webhooks are off", () => {
  it("says how to switch them on instead of registering something that would never fire", async () => {
    const off = await startTestServer();
    try {
      const res = await off.call("POST", "/api/v1/webhooks", {
        as: "admin",
        body: { url: "https://example.com/h" },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.messages.en).toContain("webhooks.enabled");
      expect((await off.call("GET", "/api/v1/webhooks", { as: "admin" })).body).toMatchObject({
        enabled: false,
        items: [],
      });
    } finally {
      await off.stop();
    }
  });
});
