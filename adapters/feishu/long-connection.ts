import { EventDispatcher, LoggerLevel, WSClient } from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import { sdkLogger } from "./api.ts";
import type { FeishuSettings } from "./config.ts";

/**
 * Long-connection mode: the SDK's WSClient with the same handlers as the webhook. Feishu gives each event
 * to one connected instance; the durable inbox makes any instance able to take it.
 */
export function startLongConnection(
  settings: FeishuSettings,
  logger: Logger,
  onEvent: (eventType: string, flat: Record<string, unknown>) => Promise<unknown>,
): { close(): void } {
  type Handler = (data: Record<string, unknown>) => Promise<unknown>;
  const handlers: Record<string, Handler> = {
    "im.message.receive_v1": (data) => onEvent("im.message.receive_v1", data),
    // The SDK needs at least `{}` back from a card handler; ours always answers.
    "card.action.trigger": (data) => onEvent("card.action.trigger", data),
  };
  const dispatcher = new EventDispatcher({
    loggerLevel: LoggerLevel.error,
    logger: sdkLogger(logger),
  }).register(handlers as Parameters<EventDispatcher["register"]>[0]);
  const client = new WSClient({
    appId: settings.appId,
    appSecret: settings.appSecret,
    domain: settings.domain,
    loggerLevel: LoggerLevel.error,
    logger: sdkLogger(logger),
    onError: (err) => logger.error({ err, platform: "feishu" }, "Feishu long connection gave up"),
  });
  void client.start({ eventDispatcher: dispatcher });
  return { close: () => client.close({ force: true }) };
}
