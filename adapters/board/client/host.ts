/// <reference lib="dom" />
import type { Locale } from "../../../core/i18n/locale.ts";

export type HostName = "teams" | "feishu" | "dingtalk" | "browser";
export type Theme = "light" | "dark" | "contrast";

export interface HostInfo {
  readonly host: HostName;
  readonly framed: boolean;
  readonly locale?: Locale;
  readonly theme?: Theme;
  /** What the host says about where the page is (Teams: team and user); for display only, never trust. */
  readonly context?: { readonly user?: string; readonly team?: string };
  /** Teams only: asks the host for an SSO token to sign in with. */
  readonly ssoToken?: () => Promise<string>;
  readonly onThemeChange?: (handler: (theme: Theme) => void) => void;
}

/** How long a framed page waits for a Teams host before it carries on as a plain page. */
export const TEAMS_TIMEOUT_MS = 3_000;

interface TeamsContext {
  app: { locale?: string; theme?: string };
  user?: { displayName?: string; userPrincipalName?: string };
  team?: { displayName?: string };
}
interface TeamsSdk {
  app: {
    initialize(validMessageOrigins?: string[]): Promise<void>;
    getContext(): Promise<TeamsContext>;
    registerOnThemeChangeHandler(handler: (theme: string) => void): void;
    notifySuccess(): void;
  };
  authentication: { getAuthToken(): Promise<string> };
}

export const localeFrom = (tag: string | undefined): Locale | undefined => {
  const t = tag?.toLowerCase() ?? "";
  if (t.startsWith("zh")) return "zh-CN";
  if (t.startsWith("en")) return "en";
  return undefined;
};

export const themeFrom = (teamsTheme: string | undefined): Theme =>
  teamsTheme === "dark" ? "dark" : teamsTheme === "contrast" ? "contrast" : "light";

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

function timeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("host did not answer")), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Whether an origin fits a pattern such as http://127.0.0.1:* (any port) or an exact origin. */
export function originMatches(origin: string, pattern: string): boolean {
  if (!pattern.endsWith(":*")) return origin === pattern;
  const base = pattern.slice(0, -2);
  return origin === base || (origin.startsWith(`${base}:`) && /^\d+$/.test(origin.slice(base.length + 1)));
}

/**
 * The parent's exact origin when the server allows it by pattern: teams-js takes exact extra origins only
 * (its own list covers Teams' https hosts), so a configured or sandbox loopback host is named here.
 */
function extraOrigins(patterns: readonly string[]): string[] {
  const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  let parent = ancestors?.length ? ancestors[0] : undefined;
  if (!parent && document.referrer) parent = new URL(document.referrer).origin;
  const exact = patterns.filter((p) => !p.endsWith(":*"));
  return parent && patterns.some((p) => originMatches(parent!, p)) ? [...new Set([...exact, parent])] : exact;
}

async function teams(hostOrigins: readonly string[], ms: number): Promise<HostInfo | undefined> {
  await loadScript("/board/assets/teams.min.js");
  const sdk = (window as unknown as { microsoftTeams?: TeamsSdk }).microsoftTeams;
  if (!sdk) return undefined;
  const extra = extraOrigins(hostOrigins);
  await timeout(sdk.app.initialize(extra.length ? extra : undefined), ms);
  const ctx = await timeout(sdk.app.getContext(), ms);
  sdk.app.notifySuccess();
  return {
    host: "teams",
    framed: true,
    locale: localeFrom(ctx.app.locale),
    theme: themeFrom(ctx.app.theme),
    context: { user: ctx.user?.displayName ?? ctx.user?.userPrincipalName, team: ctx.team?.displayName },
    ssoToken: () => sdk.authentication.getAuthToken(),
    onThemeChange: (handler) => sdk.app.registerOnThemeChangeHandler((t) => handler(themeFrom(t))),
  };
}

/**
 * Where the page runs. Feishu/Lark and DingTalk say so in their web views' user agent; a Teams tab is a
 * frame whose parent answers teams-js. A top-level page is a browser at once; a frame that does not answer
 * within the timeout is treated as one too, so the page never hangs waiting for a host.
 */
export async function detectHost(hostOrigins: readonly string[], ms = TEAMS_TIMEOUT_MS): Promise<HostInfo> {
  const ua = navigator.userAgent;
  const framed = window.parent !== window;
  if (/Lark|Feishu/i.test(ua)) return { host: "feishu", framed };
  if (/DingTalk/i.test(ua)) return { host: "dingtalk", framed };
  if (!framed && !window.opener) return { host: "browser", framed: false };
  try {
    return (await teams(hostOrigins, ms)) ?? { host: "browser", framed };
  } catch {
    return { host: "browser", framed };
  }
}

/** Applies a theme to the page: light and dark follow the OS unless a host chose one. */
export function applyTheme(theme: Theme | undefined): void {
  document.documentElement.dataset.theme = theme ?? "auto";
}
