import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadFeishuManifest } from "./manifest.ts";

export const SETUP_DOC = new URL("../../docs/setup/feishu.md", import.meta.url);
const BEGIN =
  "<!-- manifest:begin (generated from manifests/feishu/app.json; run node --import tsx adapters/feishu/setup-doc.ts) -->";
const END = "<!-- manifest:end -->";

/** The setup guide's tables, made from the manifest: the guide and `closeloop doctor` read the same file. */
export function manifestSection(): string {
  const m = loadFeishuManifest();
  const row = (name: string, why: { "zh-CN": string; en: string }) =>
    `| \`${name}\` | ${why["zh-CN"]} / ${why.en} |`;
  return [
    BEGIN,
    "",
    "**Permissions & Scopes / 权限管理** — enable every one:",
    "",
    "| scope | why |",
    "| --- | --- |",
    ...m.scopes.map((s) => row(s.scope, s.why)),
    "",
    "Optional (only with the matching `FEISHU_URGENT`):",
    "",
    "| scope | why |",
    "| --- | --- |",
    ...m.optionalScopes.map((s) => row(s.scope, s.why)),
    "",
    "**Events & Callbacks / 事件与回调** — subscribe:",
    "",
    "| event or callback | why |",
    "| --- | --- |",
    ...m.events.map((e) => row(e.event, e.why)),
    ...m.callbacks.map((c) => row(c.callback, c.why)),
    "",
    `Request URL for events and for callbacks (webhook mode): \`https://<your public host>${m.urls.events}\`.`,
    "",
    END,
  ].join("\n");
}

/** The guide with its generated section replaced by the current one. */
export function withSection(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < 0) throw new Error("docs/setup/feishu.md: manifest markers missing");
  return doc.slice(0, start) + manifestSection() + doc.slice(end + END.length);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = fileURLToPath(SETUP_DOC);
  writeFileSync(path, withSection(readFileSync(path, "utf8")));
}
