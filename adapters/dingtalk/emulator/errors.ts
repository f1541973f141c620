import { randomUUID } from "node:crypto";

/** A response the emulator sends: status and JSON body, exactly as DingTalk shapes them. */
export interface EmuResponse {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
}

/** New API (api.dingtalk.com): the HTTP status carries the failure, the body {code, message, requestid}. */
export const newApiError = (
  status: number,
  code: string,
  message: string,
  extra: object = {},
): EmuResponse => ({
  status,
  body: { code, message, requestid: randomUUID().toUpperCase(), ...extra },
});

/** Old API (oapi.dingtalk.com): always HTTP 200; errcode ≠ 0 says it failed. */
export const oldApiError = (errcode: number, errmsg: string, extra: object = {}): EmuResponse => ({
  status: 200,
  body: { errcode, errmsg, request_id: randomUUID().replace(/-/g, ""), ...extra },
});

export const ok = (body: unknown): EmuResponse => ({ status: 200, body });

export type FailureKind = "throttle" | "throttle-global" | "server";
export type ApiName =
  | "token"
  | "gateway"
  | "card.create"
  | "card.update"
  | "robot.group"
  | "robot.o2o"
  | "robot.session"
  | "ding"
  | "org";

/** A failure switch: the next `times` calls of `api` fail this way. */
export interface FailureSwitch {
  readonly api: ApiName | "any";
  readonly kind: FailureKind;
  times: number;
}

export function failureResponse(kind: FailureKind, oldApi: boolean): EmuResponse {
  if (kind === "server")
    return oldApi
      ? { status: 502, body: "<html><body>502 Bad Gateway</body></html>", contentType: "text/html" }
      : newApiError(500, "system.busy", "system busy, please retry");
  const code = kind === "throttle" ? "QpsLimitForAppkeyAndApi" : "QpsLimitForApi";
  if (oldApi) return oldApiError(kind === "throttle" ? 90018 : 90002, "api call exceeds the QPS limit");
  return newApiError(403, `Forbidden.AccessDenied.${code}`, "api call exceeds the QPS limit");
}
