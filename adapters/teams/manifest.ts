import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { strToU8, zipSync } from "fflate";

const TEMPLATE_DIR = fileURLToPath(new URL("../../manifests/teams/", import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ManifestSettings {
  /** The bot's Entra app id (TEAMS_APP_ID): the bot id and the SSO app. */
  readonly appId: string;
  /** Where the server is reached over https (TEAMS_PUBLIC_URL). */
  readonly publicUrl: string;
  /** The Teams app's own id; default the bot's app id. */
  readonly manifestId?: string;
  readonly version?: string;
}

/** Reads TEAMS_APP_ID, TEAMS_PUBLIC_URL and optional TEAMS_MANIFEST_ID / TEAMS_APP_VERSION; errors name the variable. */
export function manifestSettingsFromEnv(env: NodeJS.ProcessEnv): ManifestSettings {
  const appId = env.TEAMS_APP_ID?.trim();
  const publicUrl = env.TEAMS_PUBLIC_URL?.trim();
  if (!appId) throw new Error("TEAMS_APP_ID: required (the bot's Microsoft Entra application id)");
  if (!publicUrl)
    throw new Error("TEAMS_PUBLIC_URL: required (the https address where Teams reaches closeloop)");
  return {
    appId,
    publicUrl,
    manifestId: env.TEAMS_MANIFEST_ID?.trim() || undefined,
    version: env.TEAMS_APP_VERSION?.trim() || undefined,
  };
}

/** The manifest with the ids and URLs filled in (manifests/teams/manifest.template.json). */
export function buildTeamsManifest(s: ManifestSettings): Record<string, unknown> {
  const url = new URL(s.publicUrl);
  if (url.protocol !== "https:") throw new Error("TEAMS_PUBLIC_URL: Teams loads tabs only over https");
  const manifestId = s.manifestId ?? s.appId;
  for (const [name, id] of [
    ["TEAMS_APP_ID", s.appId],
    ["TEAMS_MANIFEST_ID", manifestId],
  ] as const)
    if (!GUID.test(id)) throw new Error(`${name}: expected a GUID, got "${id}"`);
  const values: Record<string, string> = {
    appId: s.appId,
    manifestId,
    publicUrl: s.publicUrl.replace(/\/+$/, ""),
    publicHost: url.host,
    version: s.version ?? "1.0.0",
  };
  const template = readFileSync(`${TEMPLATE_DIR}manifest.template.json`, "utf8");
  // Values are JSON-escaped so a URL can never break out of its string.
  const filled = template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`manifest template: unknown placeholder {{${key}}}`);
    return JSON.stringify(v).slice(1, -1);
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

export const iconFile = (name: "color.png" | "outline.png"): Buffer => readFileSync(`${TEMPLATE_DIR}${name}`);

/** The app package users upload: manifest.json and both icons at the zip's root. */
export function teamsAppPackage(manifest: Record<string, unknown>): Uint8Array {
  return zipSync(
    {
      "manifest.json": strToU8(JSON.stringify(manifest, null, 2)),
      "color.png": [iconFile("color.png"), { level: 0 }],
      "outline.png": [iconFile("outline.png"), { level: 0 }],
    },
    { level: 9, mtime: new Date("2026-01-01T00:00:00Z") },
  );
}

/** The official schema for the manifest's version, as @microsoft/app-manifest ships it (no network). */
export function bundledManifestSchema(manifestVersion: string): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const root = require.resolve("@microsoft/app-manifest/package.json").replace(/package\.json$/, "");
  const text = readFileSync(
    `${root}build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`,
    "utf8",
  );
  // The same clean-up the package applies to downloaded schemas (an invalid "\a" in one regex).
  return JSON.parse(text.replace(/\\a/g, "\\x07")) as Record<string, unknown>;
}

/** Schema errors of a manifest against the official schema of its manifestVersion; empty when it is valid. */
export async function validateTeamsManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const { ManifestUtil } = (await import(
    "@microsoft/app-manifest"
  )) as typeof import("@microsoft/app-manifest");
  const schema = bundledManifestSchema(String(manifest.manifestVersion));
  // biome-ignore lint/suspicious/noExplicitAny: the package types manifests per version; ours is plain JSON
  return ManifestUtil.validateManifestAgainstSchema(manifest as any, schema as any);
}
