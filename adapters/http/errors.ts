import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, type DomainErrorCode } from "../../core/errors.ts";
import type { Locale, Text } from "../../core/i18n/locale.ts";

const STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 422,
  rate_limited: 429,
};

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly messages: Text;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export function errorBody(
  code: string,
  text: Text,
  locale: Locale,
  details?: Record<string, unknown>,
): ErrorBody {
  return { error: { code, message: text[locale], messages: text, ...(details ? { details } : {}) } };
}

/** Status for a refused request. Commands answer a missing or bad field with 422, as the API contract says. */
export function statusOf(err: DomainError, isCommand: boolean): ContentfulStatusCode {
  if (err.code === "validation" && isCommand && !err.details.malformed) return 422;
  return STATUS[err.code];
}

export const HTTP_TEXT = {
  notFound: { "zh-CN": "没有这个地址", en: "No such route" },
  tooLarge: { "zh-CN": "请求体过大", en: "Request body too large" },
  badJson: { "zh-CN": "请求体不是合法的 JSON", en: "Request body is not valid JSON" },
  internal: { "zh-CN": "服务器内部错误，已记录", en: "Internal server error; it has been logged" },
  unauthenticated: {
    "zh-CN": "需要有效的 Bearer 令牌或看板登录",
    en: "A valid bearer token or board session is required",
  },
  badToken: { "zh-CN": "Bearer 令牌无效", en: "Invalid bearer token" },
} as const satisfies Record<string, Text>;

export { DomainError };
