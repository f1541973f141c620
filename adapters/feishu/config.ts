import { z } from "zod";

const text = z.string().trim().min(1);

/** The Feishu adapter's settings, from the environment (README "Feishu / Lark", docs/setup/feishu.md). */
export const feishuEnvSchema = z.object({
  FEISHU_APP_ID: text,
  FEISHU_APP_SECRET: text,
  FEISHU_VERIFICATION_TOKEN: text.optional(),
  FEISHU_ENCRYPT_KEY: text.optional(),
  FEISHU_DOMAIN: z
    .string()
    .trim()
    .url()
    .default("https://open.feishu.cn")
    .transform((u) => u.replace(/\/+$/, "")),
  FEISHU_MODE: z.enum(["webhook", "ws"]).default("webhook"),
  /** Where people open the board (links on cards and the /board answer). */
  FEISHU_PUBLIC_URL: z
    .string()
    .trim()
    .url()
    .transform((u) => u.replace(/\/+$/, ""))
    .optional(),
  /** Extra buzz channels for nudges beyond in-app: "sms", "phone" (they spend tenant quota). */
  FEISHU_URGENT: z.enum(["app", "sms", "phone", "off"]).default("app"),
  /** Directory departments on Feishu departments, "tech=od-…,returns=od-…": heads come from the contact API. */
  FEISHU_DEPARTMENTS: z.string().trim().default(""),
  /** Directory ids are the tenant's Feishu user_ids: reach people without configuring each openId. */
  FEISHU_MATCH_USER_ID: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
});

export type FeishuSettings = {
  readonly appId: string;
  readonly appSecret: string;
  readonly verificationToken?: string;
  readonly encryptKey?: string;
  readonly domain: string;
  readonly mode: "webhook" | "ws";
  readonly publicUrl?: string;
  readonly urgent: "app" | "sms" | "phone" | "off";
  readonly matchUserId: boolean;
  readonly departments: Readonly<Record<string, string>>;
};

const blankless = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith("FEISHU_") && (v ?? "").trim() !== ""),
  );

/** Parses the FEISHU_* variables; every error names the variable. */
export function readFeishuSettings(env: NodeJS.ProcessEnv): FeishuSettings {
  const parsed = feishuEnvSchema.safeParse(blankless(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0] ?? "FEISHU")}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    appId: e.FEISHU_APP_ID,
    appSecret: e.FEISHU_APP_SECRET,
    verificationToken: e.FEISHU_VERIFICATION_TOKEN,
    encryptKey: e.FEISHU_ENCRYPT_KEY,
    domain: e.FEISHU_DOMAIN,
    mode: e.FEISHU_MODE,
    publicUrl: e.FEISHU_PUBLIC_URL,
    urgent: e.FEISHU_URGENT,
    matchUserId: e.FEISHU_MATCH_USER_ID,
    departments: departmentMap(e.FEISHU_DEPARTMENTS),
  };
}

function departmentMap(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [dep, od] = pair.split("=").map((x) => x.trim());
    if (!dep || !od)
      throw new Error(`FEISHU_DEPARTMENTS: expected "department=open_department_id", got "${pair}"`);
    out[dep] = od;
  }
  return out;
}
