/// <reference lib="dom" />

export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

let csrf = "";
export const setCsrf = (token: string) => {
  csrf = token;
};

/** Calls the API as the signed-in person: the session cookie, plus the CSRF token that marks a board call. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", "x-closeloop-csrf": csrf };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    if (res.status === 401)
      location.assign(`/board/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
    throw new ApiError(res.status, json?.error ?? { code: "http", message: `HTTP ${res.status}` });
  }
  return json as T;
}
