import { z } from "zod";

/** How DING (the paid urgent ring) is used for nudges: off, in-app, SMS or phone call. */
export const DING_MODES = { off: 0, app: 1, sms: 2, call: 3 } as const;
export type DingMode = keyof typeof DING_MODES;

const url = z
  .string()
  .trim()
  .regex(/^https?:\/\/[^\s/]+(\/.*)?$/, "expected an http(s) URL")
  .transform((u) => u.replace(/\/+$/, ""));

const envSchema = z.object({
  DINGTALK_CLIENT_ID: z.string().trim().min(1, "required: the app key (AppKey / Client ID)"),
  DINGTALK_CLIENT_SECRET: z.string().trim().min(1, "required: the app secret (AppSecret / Client Secret)"),
  DINGTALK_ROBOT_CODE: z.string().trim().min(1).optional(),
  DINGTALK_CARD_TEMPLATE_ID: z.string().trim().min(1).optional(),
  DINGTALK_API_BASE: url.default("https://api.dingtalk.com"),
  DINGTALK_OAPI_BASE: url.default("https://oapi.dingtalk.com"),
  DINGTALK_DING: z.enum(["off", "app", "sms", "call"]).default("off"),
  DINGTALK_MODE: z.enum(["stream", "http"]).default("stream"),
});

export interface DingTalkConfig {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The robot's code: the app key unless the app's robot has its own. */
  readonly robotCode: string;
  readonly cardTemplateId?: string;
  readonly apiBase: string;
  readonly oapiBase: string;
  readonly ding: DingMode;
  readonly mode: "stream" | "http";
}

/** Thrown with every bad variable named, so `closeloop doctor` and the server say exactly what to fix. */
export class DingTalkConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`DingTalk configuration: ${issues.join("; ")}`);
    this.name = "DingTalkConfigError";
  }
}

const blankToUndefined = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("DINGTALK_") && v?.trim() !== ""));

export function readDingTalkConfig(env: NodeJS.ProcessEnv): DingTalkConfig {
  const parsed = envSchema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    throw new DingTalkConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    clientId: e.DINGTALK_CLIENT_ID,
    clientSecret: e.DINGTALK_CLIENT_SECRET,
    robotCode: e.DINGTALK_ROBOT_CODE ?? e.DINGTALK_CLIENT_ID,
    cardTemplateId: e.DINGTALK_CARD_TEMPLATE_ID,
    apiBase: e.DINGTALK_API_BASE,
    oapiBase: e.DINGTALK_OAPI_BASE,
    ding: e.DINGTALK_DING,
    mode: e.DINGTALK_MODE,
  };
}
