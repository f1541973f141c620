import { inboundCallbackSchema } from "../../cards/model/index.ts";
import { runCardClick } from "../../core/chat/actions.ts";
import type { Text } from "../../core/i18n/locale.ts";
import type { PlatformContext } from "../platform-module.ts";
import { type Activity, activityKey, executeValueSchema } from "./activity.ts";
import type { TeamsCards } from "./cards.ts";
import { say } from "./i18n.ts";
import type { TeamsInbound } from "./inbound.ts";

/** The body of an invoke response (HTTP 200 always; the outcome is in statusCode). */
export type InvokeResponse =
  | { statusCode: 200; type: "application/vnd.microsoft.card.adaptive"; value: object }
  | { statusCode: 200; type: "application/vnd.microsoft.activity.message"; value: string }
  | {
      statusCode: 400 | 500;
      type: "application/vnd.microsoft.error";
      value: { code: string; message: string };
    };

const message = (value: string): InvokeResponse => ({
  statusCode: 200,
  type: "application/vnd.microsoft.activity.message",
  value,
});

const badRequest = (msg: string): InvokeResponse => ({
  statusCode: 400,
  type: "application/vnd.microsoft.error",
  value: { code: "BadRequest", message: msg },
});

/**
 * Action.Execute (adaptiveCard/action), answered in the same request: runs the command as the clicking
 * person and answers with the card as that person now sees it. Teams may deliver the same invoke up to three
 * times; the change records the activity id, so the others change nothing and get the card.
 * Everyone else's copy is updated through the outbox (the ticket change queues a PUT of each placement).
 */
export async function handleExecute(
  a: Activity,
  deps: { ctx: PlatformContext; cards: TeamsCards; inbound: TeamsInbound },
): Promise<InvokeResponse> {
  const value = executeValueSchema.safeParse(a.value);
  if (!value.success) return badRequest("value.action: expected an Action.Execute with a verb");
  const data = inboundCallbackSchema.safeParse({ ...value.data.action.data, action: value.data.action.verb });
  if (!data.success) return badRequest("action.data: expected closeloop's {ticket, version}");
  const person = deps.inbound.person(a);
  const locale = deps.inbound.localeFor(a, person);
  if (!person) return message(say("notInDirectory", locale));
  const { action, ticket, version, form: _f, draft: _d, ...fields } = data.data;
  const { service } = deps.ctx;
  // The activity id is the delivery: a redelivered invoke finds its change in the timeline, even after a
  // crash between answering and anything else, and is answered with the card again.
  const caller = { actor: person.id, via: "teams" as const, request: activityKey(a) };
  const current = async (toast?: Text) => {
    const record = ticket ? await service.get(ticket).catch(() => undefined) : undefined;
    return record ? card(record) : message((toast ?? { "zh-CN": "", en: "" })[locale] || ticket);
  };
  const card = (record: Parameters<TeamsCards["ticket"]>[0]): InvokeResponse => ({
    statusCode: 200,
    type: "application/vnd.microsoft.card.adaptive",
    value: deps.cards.ticket(record, locale, person),
  });
  if (action === "refresh") return current();
  const origin = { platform: "teams", chatId: a.conversation.id, messageId: a.replyToId ?? a.id ?? "" };
  const click = { action, ticket, version, fields };
  const result = await runCardClick(service, caller, click, origin, deps.ctx.clickExtension);
  // A stale card is answered with the card as it is now; any other refusal says why and leaves the card.
  if (result.record && (result.ok || result.error?.code === "conflict")) return card(result.record);
  return message(result.toast[locale]);
}
