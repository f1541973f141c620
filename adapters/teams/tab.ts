import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Hono } from "hono";
import type { Directory } from "../../core/directory/directory.ts";
import { contentSecurityPolicy, HOST_FRAME_ANCESTORS } from "../board/page.ts";
import type { HttpEnv } from "../http/env.ts";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Runs in the configurable tab's settings frame: pick a department, save its board as the tab's page. */
const CONFIGURE_JS = `(() => {
  const select = document.getElementById("department");
  const base = document.body.dataset.base;
  const teams = window.microsoftTeams;
  teams.app.initialize().then(() => {
    const valid = () => teams.pages.config.setValidityState(select.value !== "");
    select.addEventListener("change", valid);
    teams.pages.config.registerOnSaveHandler((save) => {
      const id = select.value;
      const name = select.selectedOptions[0] ? select.selectedOptions[0].textContent : id;
      const q = "department=" + encodeURIComponent(id);
      teams.pages.config
        .setConfig({
          entityId: "closeloop-board-" + id,
          contentUrl: base + "/board?host=teams&" + q,
          websiteUrl: base + "/board?" + q,
          suggestedDisplayName: name,
        })
        .then(() => save.notifySuccess(), (e) => save.notifyFailure(String(e)));
    });
    valid();
  });
})();
`;

/**
 * The configurable tab's settings page (a department's board in a channel) and the teams-js bundle it
 * needs. The static tab and the saved channel tab both show the board itself (adapters/board).
 */
export function mountTab(app: Hono<HttpEnv>, opts: { directory: Directory; publicUrl?: string }): void {
  const require = createRequire(import.meta.url);
  let teamsJs: string | undefined;
  const csp = contentSecurityPolicy(HOST_FRAME_ANCESTORS);
  app.get("/teams/tab/teams.min.js", (c) => {
    teamsJs ??= readFileSync(require.resolve("@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js"), "utf8");
    return c.body(teamsJs, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "max-age=86400",
    });
  });
  app.get("/teams/tab/configure.js", (c) =>
    c.body(CONFIGURE_JS, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/teams/tab/configure", (c) => {
    const base = opts.publicUrl ?? new URL(c.req.url).origin;
    const options = opts.directory
      .departments()
      .map((d) => `<option value="${escapeHtml(d.id)}">${escapeHtml(d.name)}</option>`)
      .join("");
    const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>closeloop</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;margin:24px}select{font-size:14px;padding:4px;min-width:240px}</style>
</head><body data-base="${escapeHtml(base)}">
<label for="department">显示哪个部门的看板 · Which department's board</label><br><br>
<select id="department"><option value="">—</option>${options}</select>
<script src="/teams/tab/teams.min.js"></script><script src="/teams/tab/configure.js"></script>
</body></html>`;
    return c.html(html, 200, { "Content-Security-Policy": csp, "Cache-Control": "no-store" });
  });
}
