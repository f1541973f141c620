import type { ChatPlatform } from "../../core/chat/platform.ts";
import type { DoctorCheck, PlatformContext, PlatformModule } from "../platform-module.ts";
import { FeishuApi } from "./api.ts";
import { type FeishuSettings, readFeishuSettings } from "./config.ts";
import { startLongConnection } from "./long-connection.ts";
import { loadFeishuManifest } from "./manifest.ts";
import { FeishuPlatform } from "./platform.ts";
import { dataDirOf, readProblems } from "./problems.ts";
import { FEISHU_EVENTS_PATH, mountWebhook } from "./webhook.ts";

/** Feishu / Lark: on when FEISHU_APP_ID is set. */
export const feishuModule: PlatformModule = {
  id: "feishu",
  enabled: (env) => (env.FEISHU_APP_ID ?? "").trim() !== "",
  create: (ctx) => createFeishu(ctx, readFeishuSettings(ctx.env), { problemsDir: dataDirOf(ctx.env) }),
  async doctor(env) {
    const checks: DoctorCheck[] = [];
    const manifest = loadFeishuManifest();
    let settings: ReturnType<typeof readFeishuSettings>;
    try {
      settings = readFeishuSettings(env);
    } catch (e) {
      return [{ name: "feishu", ok: false, detail: `${(e as Error).message} (see docs/setup/feishu.md)` }];
    }
    checks.push({
      name: "feishu mode",
      ok: true,
      detail:
        settings.mode === "ws"
          ? "long connection (no public URL needed)"
          : `webhook: set the event and callback request URL to <public URL>${FEISHU_EVENTS_PATH}`,
    });
    checks.push({
      name: "feishu secrets",
      ok:
        settings.mode === "ws" ||
        (settings.encryptKey !== undefined && settings.verificationToken !== undefined),
      detail:
        settings.mode === "ws" || (settings.encryptKey && settings.verificationToken)
          ? "verification token and encrypt key set"
          : "set FEISHU_VERIFICATION_TOKEN and FEISHU_ENCRYPT_KEY (Events & Callbacks > Encryption strategy)",
    });
    const api = new FeishuApi(settings, silentLogger());
    try {
      const bot = await api.botInfo();
      checks.push({
        name: "feishu app",
        ok: true,
        detail: `credentials accepted; bot "${bot.app_name ?? bot.open_id}"`,
      });
    } catch (e) {
      checks.push({
        name: "feishu app",
        ok: false,
        detail: `${(e as Error).message}: check FEISHU_APP_ID/FEISHU_APP_SECRET/FEISHU_DOMAIN and that Bot is enabled`,
      });
    }
    for (const p of readProblems(dataDirOf(env)))
      checks.push({ name: `feishu ${p.code}`, ok: false, detail: `${p.fix} (seen ${p.at} in ${p.call})` });
    checks.push({
      name: "feishu scopes",
      ok: true,
      detail: `enable: ${manifest.scopes.map((s) => s.scope).join(", ")}`,
    });
    checks.push({
      name: "feishu events",
      ok: true,
      detail: `subscribe: ${manifest.events.map((e) => e.event).join(", ")}; callbacks: ${manifest.callbacks
        .map((c) => c.callback)
        .join(", ")}`,
    });
    return checks;
  },
};

function silentLogger() {
  const noop = () => undefined;
  const l = { error: noop, warn: noop, info: noop, debug: noop, child: () => l };
  return l as unknown as import("pino").Logger;
}

/** The Feishu platform for these settings: webhook route or long connection, as configured. */
export async function createFeishu(
  ctx: PlatformContext,
  settings: FeishuSettings,
  opts: { problemsDir?: string } = {},
): Promise<ChatPlatform> {
  const platform = new FeishuPlatform(ctx, settings, opts);
  const onEvent = (type: string, flat: Record<string, unknown>) => platform.onEvent(type, flat);
  if (settings.mode === "webhook") {
    mountWebhook(ctx.app, settings, ctx.logger, onEvent);
    if (!settings.encryptKey)
      ctx.logger.warn(
        { platform: "feishu" },
        "FEISHU_ENCRYPT_KEY not set: pushes are neither signed nor encrypted; set an Encrypt Key in the console",
      );
    if (!settings.verificationToken)
      ctx.logger.warn({ platform: "feishu" }, "FEISHU_VERIFICATION_TOKEN not set: envelopes are not checked");
  }
  let ws: { close(): void } | undefined;
  const start = platform.start.bind(platform);
  const stop = platform.stop.bind(platform);
  return Object.assign(platform, {
    async start() {
      await start();
      if (settings.mode === "ws") ws = startLongConnection(settings, ctx.logger, onEvent);
    },
    async stop() {
      ws?.close();
      await stop();
    },
  });
}
