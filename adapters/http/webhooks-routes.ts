import { Hono } from "hono";
import { DomainError } from "../../core/errors.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import { parseInput } from "../../core/validate.ts";
import { WEBHOOK_EVENT_TYPES } from "../../core/webhooks/event.ts";
import { WEBHOOK_HEADERS } from "../../core/webhooks/signature.ts";
import {
  createSubscriptionSchema,
  patchSubscriptionSchema,
  subscriptionView,
} from "../../core/webhooks/subscription.ts";
import type { Webhooks } from "../webhooks/wiring.ts";
import type { HttpEnv } from "./env.ts";
import { readJson } from "./read-json.ts";

const adminsOnly = (actor: string) =>
  new DomainError(
    "forbidden",
    { "zh-CN": "只有管理员可以管理 Webhook", en: "Only admins may manage webhooks" },
    { actor },
  );

const switchedOff = () =>
  new DomainError(
    "conflict",
    {
      "zh-CN": "Webhook 未启用：请在配置文件中设置 webhooks.enabled: true",
      en: "Webhooks are off: set webhooks.enabled: true in the config file",
    },
    {},
  );

/**
 * The admin API for outbound webhooks, under /api/v1/webhooks: list, register (the secret is shown once),
 * change, rotate the secret, remove. Subscriptions from the config file are listed but changed only there.
 */
export function webhookRoutes(deps: {
  readonly service: TicketService;
  readonly webhooks: Webhooks;
}): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const { service, webhooks } = deps;
  const registry = webhooks.registry;

  app.use(async (c, next) => {
    const actor = service.person(c.get("actor"));
    if (!actor.roles.includes("admin")) throw adminsOnly(actor.id);
    await next();
  });
  const writable = () => {
    if (!webhooks.enabled) throw switchedOff();
  };

  app.get("/", async (c) =>
    c.json({
      enabled: webhooks.enabled,
      eventTypes: WEBHOOK_EVENT_TYPES,
      headers: WEBHOOK_HEADERS,
      items: (await registry.list()).map(subscriptionView),
    }),
  );

  app.post("/", async (c) => {
    writable();
    const input = parseInput(createSubscriptionSchema, await readJson(c));
    const { subscription, secret } = await registry.create(input, c.get("actor"));
    return c.json({ ...subscriptionView(subscription), secret }, 201, {
      Location: `/api/v1/webhooks/${subscription.id}`,
      "Cache-Control": "no-store",
    });
  });

  app.get("/:id", async (c) => {
    const subscription = await registry.get(c.req.param("id"));
    if (!subscription) {
      throw new DomainError(
        "not_found",
        {
          "zh-CN": `没有 Webhook 订阅「${c.req.param("id")}」`,
          en: `No webhook subscription "${c.req.param("id")}"`,
        },
        {},
      );
    }
    return c.json(subscriptionView(subscription));
  });

  app.patch("/:id", async (c) => {
    writable();
    const patch = parseInput(patchSubscriptionSchema, await readJson(c));
    return c.json(subscriptionView(await registry.update(c.req.param("id"), patch)));
  });

  app.post("/:id/rotate-secret", async (c) => {
    writable();
    const { subscription, secret } = await registry.rotateSecret(c.req.param("id"));
    return c.json({ ...subscriptionView(subscription), secret }, 200, { "Cache-Control": "no-store" });
  });

  app.delete("/:id", async (c) => {
    await registry.remove(c.req.param("id"));
    return c.body(null, 204);
  });

  return app;
}
