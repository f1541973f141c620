import { esc, scriptJson } from "../../cards/preview/html.ts";
import { GALLERY_CSS } from "../../cards/preview/style.ts";
import type { Text } from "../../core/i18n/locale.ts";

const CSS = `
body{margin:0;font:14px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;background:#f5f6f7;color:#1f2329}
header{display:flex;gap:12px;align-items:center;padding:10px 16px;background:#fff;border-bottom:1px solid #dee0e3;flex-wrap:wrap}
header h1{font-size:16px;margin:0 12px 0 0}
main{display:flex;height:calc(100vh - 56px)}
nav{width:240px;background:#fff;border-right:1px solid #dee0e3;overflow:auto}
nav button{display:block;width:100%;text-align:left;padding:10px 14px;border:0;background:none;cursor:pointer}
nav button.on{background:#e1eaff}
section{flex:1;display:flex;flex-direction:column}
#log{flex:1;overflow:auto;padding:16px}
.msg{margin:0 0 14px;max-width:640px}.msg .who{font-size:12px;color:#646a73}
.msg .bubble{background:#fff;border-radius:8px;padding:8px 12px;display:inline-block;white-space:pre-wrap}
.msg.reply{margin-left:28px;border-left:2px solid #dee0e3;padding-left:10px}
form.send{display:flex;gap:8px;padding:12px;background:#fff;border-top:1px solid #dee0e3}
form.send input[type=text]{flex:1;padding:8px;border:1px solid #dee0e3;border-radius:6px}
#toast{position:fixed;top:64px;left:50%;transform:translateX(-50%);background:#1f2329;color:#fff;padding:8px 16px;border-radius:6px;display:none}
.card .btn{cursor:pointer}
`;

const SCRIPT = `
const PLATFORMS = JSON.parse(document.getElementById("platforms").textContent);
const $ = (s) => document.querySelector(s);
let platform = PLATFORMS[0].id, person = "", chat = "", chats = [], lastRender = "";
const api = (path, body) => fetch("/playground/api/" + platform + path, body ? {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body)} : {}).then((r) => r.json());
const zh = () => !/^en/.test(navigator.language);
function toast(t) { if (!t) return; const el = $("#toast"); el.textContent = zh() ? t["zh-CN"] : t.en; el.style.display = "block"; setTimeout(() => el.style.display = "none", 3000); }
async function loadPeople() {
  const {items} = await api("/people");
  $("#person").innerHTML = items.map((p) => '<option value="' + p.id + '">' + p.name.replace(/</g, "&lt;") + " (" + p.id + ")</option>").join("");
  person = items.find((p) => p.id === "agent-li") ? "agent-li" : items[0].id; $("#person").value = person; await loadChats();
}
async function loadChats() {
  chats = (await api("/chats?as=" + encodeURIComponent(person))).items;
  if (!chats.some((c) => c.id === chat)) chat = chats[0] ? chats[0].id : "";
  $("nav").innerHTML = chats.map((c) => '<button data-id="' + c.id + '" class="' + (c.id === chat ? "on" : "") + '">' + (c.kind === "group" ? "# " : "@ ") + c.name.replace(/</g, "&lt;") + "</button>").join("");
  $("nav").querySelectorAll("button").forEach((b) => b.onclick = () => { chat = b.dataset.id; lastRender = ""; loadChats(); });
  const group = (chats.find((c) => c.id === chat) || {}).kind === "group";
  $("#mention").parentElement.style.display = group ? "" : "none";
  await refresh();
}
async function refresh() {
  if (!chat) return;
  const {items} = await api("/chats/" + chat + "/messages");
  const key = JSON.stringify(items);
  if (key === lastRender) return;
  lastRender = key;
  const log = $("#log");
  log.innerHTML = "";
  for (const m of items) {
    const div = document.createElement("div");
    div.className = "msg" + (m.replyTo ? " reply" : "");
    const who = document.createElement("div"); who.className = "who"; who.textContent = m.fromName + " · " + new Date(m.at).toLocaleTimeString(); div.appendChild(who);
    if (m.html) { const holder = document.createElement("div"); holder.innerHTML = m.html; div.appendChild(holder); wire(holder, m); }
    else { const b = document.createElement("div"); b.className = "bubble"; b.textContent = m.text; div.appendChild(b); }
    log.appendChild(div);
  }
  log.scrollTop = log.scrollHeight;
}
function wire(holder, m) {
  const forms = [...holder.querySelectorAll("form")];
  [...holder.querySelectorAll("button.btn")].forEach((el, i) => {
    const b = (m.buttons || [])[i]; if (!b) return;
    el.onclick = async (ev) => {
      ev.preventDefault();
      if (b.url) { window.open(b.url, "_blank", "noopener"); return; }
      if (!b.value) return;
      let fields;
      if (b.form !== undefined) {
        fields = {};
        const spec = m.forms[b.form].fields;
        [...forms[b.form].querySelectorAll("input,textarea,select")].forEach((input, j) => {
          const f = spec[j]; if (!f) return;
          if (f.options) { const k = input.selectedIndex - (f.placeholder ? 1 : 0); if (k >= 0) fields[f.name] = f.options[k]; }
          else if (input.value !== "") fields[f.name] = input.value;
        });
      }
      const answer = await api("/click", {as: person, messageId: m.id, value: b.value, fields});
      toast(answer.toast); lastRender = ""; refresh();
    };
  });
}
$("#person").onchange = (e) => { person = e.target.value; lastRender = ""; loadChats(); };
$("#platform").onchange = (e) => { platform = e.target.value; chat = ""; loadPeople(); };
$("form.send").onsubmit = async (e) => {
  e.preventDefault();
  const text = $("#text").value.trim(); if (!text || !chat) return;
  const group = (chats.find((c) => c.id === chat) || {}).kind === "group";
  await api("/chats/" + chat + "/messages", {as: person, text: (group && $("#mention").checked ? "@closeloop " : "") + text});
  $("#text").value = ""; setTimeout(refresh, 300);
};
$("#platform").innerHTML = PLATFORMS.map((p) => '<option value="' + p.id + '">' + (zh() ? p.title["zh-CN"] : p.title.en) + "</option>").join("");
loadPeople();
setInterval(refresh, 1000);
`;

/** The playground page: pick a platform, a demo person and a chat; type as in the chat app; tap the cards. */
export function playgroundPage(platforms: readonly { id: string; title: Text }[]): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>closeloop playground</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${GALLERY_CSS}${CSS}</style></head><body>
<header><h1>closeloop playground · 试玩</h1>
<label>平台 Platform <select id="platform"></select></label>
<label>我是 Acting as <select id="person"></select></label>
<span>${esc("在群里 @closeloop 说「新工单 ……」，或在单聊里直接说。Type “/ticket …” in a chat; tap the card's buttons.")}</span></header>
<main><nav></nav><section><div id="log"></div>
<form class="send"><label><input type="checkbox" id="mention" checked> @closeloop</label>
<input type="text" id="text" placeholder="新工单 客户张先生的X200无法开机 13800138000" autocomplete="off"><button>发送 Send</button></form>
</section></main><div id="toast"></div>
<script type="application/json" id="platforms">${scriptJson(platforms)}</script>
<script>${SCRIPT}</script></body></html>`;
}
