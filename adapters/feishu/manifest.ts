import { readFileSync } from "node:fs";
import { z } from "zod";

const why = z.object({ "zh-CN": z.string(), en: z.string() });

export const feishuManifestSchema = z.object({
  $comment: z.string().optional(),
  scopes: z.array(z.object({ scope: z.string(), why })),
  optionalScopes: z.array(z.object({ scope: z.string(), why })),
  events: z.array(z.object({ event: z.string(), why })),
  callbacks: z.array(z.object({ callback: z.string(), why })),
  urls: z.object({ events: z.string(), callbacks: z.string() }),
});

export type FeishuManifest = z.infer<typeof feishuManifestSchema>;

export const FEISHU_MANIFEST_PATH = new URL("../../manifests/feishu/app.json", import.meta.url);

/** The one list of scopes, events, callbacks and URLs the setup guide and `closeloop doctor` both read. */
export function loadFeishuManifest(): FeishuManifest {
  return feishuManifestSchema.parse(JSON.parse(readFileSync(FEISHU_MANIFEST_PATH, "utf8")));
}
