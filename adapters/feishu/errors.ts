import type { DeliveryOutcome } from "../../core/ports.ts";

/** A failed Open API call, normalised: HTTP status, Feishu code, message, and when to come back. */
export class FeishuApiError extends Error {
  readonly status: number;
  readonly code: number;
  readonly retryAfterMs?: number;
  constructor(status: number, code: number, msg: string, retryAfterMs?: number) {
    super(`feishu ${status}/${code}: ${msg}`);
    this.name = "FeishuApiError";
    this.status = status;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Codes that mean the app is set up wrong: no retry helps, an administrator must act. The fix in words. */
export const CONFIG_CODES: Readonly<Record<number, string>> = {
  99991672:
    "the app lacks a permission (scope): add it under Permissions & Scopes, then publish a new version",
  10023: "the app lacks a permission (scope) for this call: add it and publish a new version",
  230002: "the bot is not in this chat: add the bot to the group",
  230006: "the bot capability is off: enable Bot under Features and publish a new version",
  230013: "the person is outside the app's availability: widen Availability in the app's version settings",
  230027: "no permission for this operation (the group may forbid it, or a scope is missing)",
  10014: "FEISHU_APP_SECRET is wrong for FEISHU_APP_ID",
  10003: "FEISHU_APP_ID is unknown",
  40004: "the department is outside the app's contact scope: widen the contact data range",
};

const THROTTLED = new Set([99991400, 230020]);

/** How the outbox should treat a failed call. */
export function outcomeOf(e: unknown): DeliveryOutcome & { ok: false } {
  if (e instanceof FeishuApiError) {
    if (THROTTLED.has(e.code) || e.status === 429)
      return { ok: false, error: e.message, retryAfterMs: e.retryAfterMs ?? 1000 };
    if (CONFIG_CODES[e.code] !== undefined) return { ok: false, error: e.message, permanent: true };
    return { ok: false, error: e.message };
  }
  return { ok: false, error: e instanceof Error ? e.message : String(e) };
}
