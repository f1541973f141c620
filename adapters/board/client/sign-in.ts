/// <reference lib="dom" />

import { label, ROLE_LABELS } from "../../../core/i18n/labels.ts";
import type { Locale, Text } from "../../../core/i18n/locale.ts";
import { bt } from "../i18n.ts";
import { h } from "./dom.ts";
import { applyTheme, detectHost, type HostInfo } from "./host.ts";
import { readMeta } from "./meta.ts";

interface SignInMeta {
  locale: Locale;
  readonly sandbox: boolean;
  readonly next: string;
  readonly hostOrigins: readonly string[];
  readonly providers: readonly { id: string; label: Text; client: Record<string, string> }[];
  readonly people: readonly { id: string; name: string; roles: string[]; departments: string[] }[];
}

type Callback = { success?: (r: { code: string }) => void; fail?: (e: unknown) => void };
interface HostSdks {
  tt?: { requestAuthCode(o: { appId: string } & Callback): void };
  dd?: {
    runtime: {
      permission: {
        requestAuthCode(o: {
          corpId: string;
          onSuccess: (r: { code: string }) => void;
          onFail: (e: unknown) => void;
        }): void;
      };
    };
  };
}

const meta = readMeta<SignInMeta>();
const t = (key: Parameters<typeof bt>[1], p?: Record<string, string | number>) => bt(meta.locale, key, p);
const status = h("p", { class: "status", role: "status" });

async function signIn(provider: string, code: string, framed: boolean): Promise<void> {
  const res = await fetch("/board/session", {
    method: "POST",
    headers: { "content-type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ provider, code, framed }),
  });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  location.assign(meta.next);
}

/** The host's own login code: Feishu's tt.requestAuthCode, DingTalk's dd.runtime.permission.requestAuthCode, Teams SSO. */
function hostCode(info: HostInfo, client: Record<string, string>): Promise<string> {
  const w = window as unknown as HostSdks;
  if (info.host === "teams" && info.ssoToken) return info.ssoToken();
  return new Promise((resolve, reject) => {
    if (info.host === "feishu" && w.tt)
      w.tt.requestAuthCode({ appId: client.appId ?? "", success: (r) => resolve(r.code), fail: reject });
    else if (info.host === "dingtalk" && w.dd)
      w.dd.runtime.permission.requestAuthCode({
        corpId: client.corpId ?? "",
        onSuccess: (r) => resolve(r.code),
        onFail: reject,
      });
    else reject(new Error(`${info.host}: no login API in this page`));
  });
}

function sandboxForm(framed: boolean): HTMLElement {
  const form = h(
    "form",
    { class: "sign-in" },
    h("p", {}, t("signin.sandbox")),
    h("label", { for: "person" }, t("signin.person")),
    h(
      "select",
      { id: "person", name: "person", required: true },
      meta.people.map((p) =>
        h(
          "option",
          { value: p.id },
          `${p.name} (${p.id}) · ${p.roles.map((r) => label(ROLE_LABELS, r)[meta.locale]).join(", ")}`,
        ),
      ),
    ),
    h("button", { type: "submit", class: "primary" }, t("signin.submit")),
  ) as HTMLFormElement;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const person = (form.elements.namedItem("person") as HTMLSelectElement).value;
    signIn("sandbox", person, framed).catch((err) => {
      status.textContent = t("signin.failed", { reason: (err as Error).message });
    });
  });
  return form;
}

const app = document.getElementById("app")!;
document.documentElement.lang = meta.locale;
app.replaceChildren(h("main", { class: "sign-in-page" }, h("h1", {}, t("signin.title")), status));
app.setAttribute("aria-busy", "false");
const main = app.querySelector("main")!;

detectHost(meta.hostOrigins).then(async (info) => {
  document.documentElement.dataset.host = info.host;
  applyTheme(info.theme);
  const provider = meta.providers.find((p) => p.id === info.host);
  if (provider) {
    status.textContent = t("signin.host", { host: provider.label[meta.locale] });
    try {
      await signIn(provider.id, await hostCode(info, provider.client), info.framed);
      return;
    } catch (err) {
      status.textContent = t("signin.failed", { reason: (err as Error).message });
    }
  }
  if (meta.sandbox) main.append(sandboxForm(info.framed));
  else if (!provider) status.textContent = t("signin.none");
});
if (meta.sandbox) document.documentElement.dataset.sandbox = "true";
