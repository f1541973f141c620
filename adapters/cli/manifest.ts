import { writeFileSync } from "node:fs";
import {
  buildTeamsManifest,
  manifestSettingsFromEnv,
  teamsAppPackage,
  validateTeamsManifest,
} from "../teams/manifest.ts";

/**
 * `closeloop manifest teams --out closeloop-teams.zip`: fills the Teams app manifest from TEAMS_APP_ID and
 * TEAMS_PUBLIC_URL, checks it against the official schema (offline) and writes the package to upload.
 */
export async function manifestCommand(
  platform: string | undefined,
  opts: { out?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (platform !== "teams") {
    process.stderr.write(
      `closeloop manifest: expected "teams" (got "${platform ?? ""}") / 目前只支持 teams\n`,
    );
    return 2;
  }
  let manifest: Record<string, unknown>;
  try {
    manifest = buildTeamsManifest(manifestSettingsFromEnv(env));
  } catch (e) {
    process.stderr.write(`closeloop manifest: ${(e as Error).message}\n`);
    return 78;
  }
  const errors = await validateTeamsManifest(manifest);
  if (errors.length) {
    process.stderr.write(
      `closeloop manifest: the manifest does not match the schema / 清单不符合官方架构\n  ${errors.join("\n  ")}\n`,
    );
    return 1;
  }
  const out = opts.out ?? "closeloop-teams.zip";
  writeFileSync(out, teamsAppPackage(manifest));
  process.stdout.write(
    `wrote ${out} (manifest.json, color.png, outline.png); upload it in Teams: Apps > Manage your apps > Upload an app\n`,
  );
  return 0;
}
