import type { WebhookEvent } from "./event.ts";

const CUT = 200;

function shorten(value: unknown): unknown {
  if (typeof value === "string") return value.length > CUT ? `${value.slice(0, CUT)}…` : value;
  if (value && typeof value === "object" && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shorten(v)]));
  return value;
}

/**
 * The JSON body of an event, at most `maxBytes`: past that its free text is cut short, and past that again only
 * the ticket and the event's identity go (`data.truncated: true` says so). Never refused for its size: a body
 * that could never be sent would hold back every later event of the subscription.
 */
export function webhookBody(event: WebhookEvent, maxBytes: number): string {
  const full = JSON.stringify(event);
  if (Buffer.byteLength(full) <= maxBytes) return full;
  const short = JSON.stringify({ ...event, data: { ...(shorten(event.data) as object), truncated: true } });
  if (Buffer.byteLength(short) <= maxBytes) return short;
  return JSON.stringify({ ...event, data: { truncated: true } });
}
