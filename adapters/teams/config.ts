import { z } from "zod";

/** Where Microsoft's services live; tests point these at the local Teams (adapters/teams/emulator/). */
export const BOT_FRAMEWORK_OPENID = "https://login.botframework.com/v1/.well-known/openidconfiguration";
export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
export const LOGIN_HOST = "https://login.microsoftonline.com";
/** Teams' global connector endpoint, used only before any activity told us a regional one. */
export const DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams/";

const url = z.url({ protocol: /^https?$/ });

const envSchema = z.object({
  TEAMS_APP_ID: z.string().trim().min(1),
  TEAMS_APP_PASSWORD: z.string().trim().min(1),
  TEAMS_TENANT_ID: z.string().trim().min(1).optional(),
  TEAMS_OPENID_METADATA_URL: url.default(BOT_FRAMEWORK_OPENID),
  TEAMS_LOGIN_URL: url.default(LOGIN_HOST),
  TEAMS_PUBLIC_URL: url.optional(),
  TEAMS_SERVICE_URL: url.default(DEFAULT_SERVICE_URL),
});

export interface TeamsConfig {
  readonly appId: string;
  readonly appPassword: string;
  /** Single-tenant bots name their tenant; multi-tenant ones get tokens from botframework.com. */
  readonly tenantId?: string;
  readonly openIdMetadataUrl: string;
  readonly loginUrl: string;
  readonly publicUrl?: string;
  readonly defaultServiceUrl: string;
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);

/** Reads TEAMS_* from the environment; every error names the variable. */
export function readTeamsConfig(env: NodeJS.ProcessEnv): TeamsConfig {
  const raw = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, blank(env[k])]));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    appId: e.TEAMS_APP_ID,
    appPassword: e.TEAMS_APP_PASSWORD,
    tenantId: e.TEAMS_TENANT_ID,
    openIdMetadataUrl: e.TEAMS_OPENID_METADATA_URL,
    loginUrl: e.TEAMS_LOGIN_URL.replace(/\/+$/, ""),
    publicUrl: e.TEAMS_PUBLIC_URL?.replace(/\/+$/, ""),
    defaultServiceUrl: e.TEAMS_SERVICE_URL,
  };
}

/** The token endpoint's tenant segment: the bot's tenant (single-tenant) or botframework.com. */
export const tokenTenant = (c: TeamsConfig): string => c.tenantId ?? "botframework.com";
