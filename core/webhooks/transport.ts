/** One POST to a receiver. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
}

/** The receiver's status (and Retry-After, when it sent one), or why there was none. */
export type WebhookResponse =
  | { readonly status: number; readonly retryAfterMs?: number }
  | { readonly error: string };

/** What core needs to reach a receiver; adapters/webhooks implements it over HTTP. */
export interface WebhookTransport {
  post(request: WebhookRequest): Promise<WebhookResponse>;
}
