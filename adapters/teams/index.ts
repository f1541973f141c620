import type { DoctorCheck, PlatformModule } from "../platform-module.ts";
import { readTeamsConfig } from "./config.ts";
import { TeamsPlatform, type TeamsPlatformOptions } from "./platform.ts";

export { TeamsPlatform } from "./platform.ts";
export { TeamsSso, teamsSignInProvider } from "./sso.ts";

/** The Teams module; tests pass options (a short backoff) and an environment pointing at the local Teams. */
export function teamsModule(opts: TeamsPlatformOptions = {}): PlatformModule {
  return {
    id: "teams",
    enabled: (env) => (env.TEAMS_APP_ID ?? "").trim() !== "",
    create: async (ctx) => new TeamsPlatform(ctx, readTeamsConfig(ctx.env), opts),
    doctor: async (env): Promise<DoctorCheck[]> => {
      try {
        const c = readTeamsConfig(env);
        return [
          {
            name: "teams",
            ok: true,
            detail: `app ${c.appId}, ${c.tenantId ? `tenant ${c.tenantId}` : "multi-tenant"}`,
          },
          {
            name: "teams public url",
            ok: c.publicUrl !== undefined,
            detail: c.publicUrl ?? "TEAMS_PUBLIC_URL missing: the tab, the manifest and board links need it",
          },
        ];
      } catch (e) {
        return [{ name: "teams", ok: false, detail: (e as Error).message }];
      }
    },
  };
}

export const TEAMS_MODULE: PlatformModule = teamsModule();
