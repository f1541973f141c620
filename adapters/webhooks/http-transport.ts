import type { WebhookRequest, WebhookResponse, WebhookTransport } from "../../core/webhooks/transport.ts";

/** Retry-After as seconds or an HTTP date, in ms from now; nothing when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d{1,7}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POSTs with fetch: http(s) only (checked again here, whatever the subscription said), redirects not followed,
 * the whole exchange bounded by the request's timeout, and the receiver's answer body never read into memory.
 */
export class HttpWebhookTransport implements WebhookTransport {
  async post(req: WebhookRequest): Promise<WebhookResponse> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return { error: "not a URL" };
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      return { error: `refused ${url.protocol} URL` };
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: req.headers,
        body: req.body,
        redirect: "manual",
        signal: AbortSignal.timeout(req.timeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      const wait = retryAfterMs(res.headers.get("retry-after"));
      return { status: res.status, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    } catch (e) {
      const name = e instanceof Error ? e.name : "";
      if (name === "TimeoutError" || name === "AbortError")
        return { error: `no answer within ${req.timeoutMs} ms` };
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
      return { error: cause ?? (e instanceof Error ? e.message : String(e)) };
    }
  }
}
