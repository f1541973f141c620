import type { DoctorCheck, PlatformModule } from "../platform-module.ts";
import { DingTalkConfigError, readDingTalkConfig } from "./config.ts";
import { mountHttpMode } from "./http-mode.ts";
import { DingTalkPlatform, type DingTalkPlatformOptions } from "./platform.ts";

export { DingTalkPlatform } from "./platform.ts";

/** DingTalk, switched on by DINGTALK_CLIENT_ID; options are for tests and the playground. */
export function dingtalkModule(opts: DingTalkPlatformOptions = {}): PlatformModule {
  return {
    id: "dingtalk",
    enabled: (env) => (env.DINGTALK_CLIENT_ID ?? "").trim() !== "",
    async create(ctx) {
      const config = readDingTalkConfig(ctx.env);
      const platform = new DingTalkPlatform(ctx, config, opts);
      if (config.mode === "http") mountHttpMode(ctx, config, platform);
      if (!config.cardTemplateId)
        ctx.logger.warn(
          { platform: "dingtalk" },
          "DingTalk: DINGTALK_CARD_TEMPLATE_ID is not set; cards cannot be posted (see docs/setup/dingtalk.md)",
        );
      return platform;
    },
    async doctor(env) {
      const checks: DoctorCheck[] = [];
      try {
        const c = readDingTalkConfig(env);
        checks.push({
          name: "dingtalk",
          ok: true,
          detail: `app ${c.clientId}, ${c.mode} mode, DING ${c.ding}`,
        });
        checks.push({
          name: "dingtalk card",
          ok: c.cardTemplateId !== undefined,
          detail: c.cardTemplateId
            ? `template ${c.cardTemplateId}`
            : "DINGTALK_CARD_TEMPLATE_ID missing: build manifests/dingtalk/closeloop-card.template.json in the card builder",
        });
      } catch (e) {
        const issues = e instanceof DingTalkConfigError ? e.issues.join("; ") : (e as Error).message;
        checks.push({ name: "dingtalk", ok: false, detail: issues });
      }
      return checks;
    },
  };
}

export const DINGTALK_MODULE: PlatformModule = dingtalkModule();
