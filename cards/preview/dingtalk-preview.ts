import type { DingTalkCardData, DingTalkMessage } from "../render/dingtalk.ts";
import { chip, esc, type Names, previewMarkdown } from "./html.ts";

const cardMentions = (s: string) =>
  s.replace(/&lt;a atId=([\w$-]+)&gt;(.*?)&lt;\/a&gt;/g, (_m, _id, name: string) => chip(name));

function parse<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

interface ButtonSlot {
  text: string;
  style: string;
  kind: "callback" | "link";
  url?: string;
}
interface InputSlot {
  label: string;
  kind: string;
  required: boolean;
  placeholder?: string;
  value?: string;
  options?: { value: string; text: string }[];
}

function inputHtml(i: InputSlot): string {
  const label = `<label>${esc(i.label)}${i.required ? " *" : ""}</label>`;
  if (i.kind === "select")
    return `${label}<select>${(i.options ?? []).map((o) => `<option${o.value === i.value ? " selected" : ""}>${esc(o.text)}</option>`).join("")}</select>`;
  if (i.kind === "multiline")
    return `${label}<textarea placeholder="${esc(i.placeholder ?? "")}">${esc(i.value ?? "")}</textarea>`;
  return `${label}<input placeholder="${esc(i.placeholder ?? "")}" value="${esc(i.value ?? "")}">`;
}

/** closeloop's DingTalk template filled with a render's cardParamMap, as the template's layout shows it. */
export function dingTalkCardPreview(data: DingTalkCardData): string {
  const map: Readonly<Record<string, string>> = data.cardData.cardParamMap;
  const v = (k: string): string => map[k] ?? "";
  const keys = Object.keys(map);
  const content = keys
    .filter((k) => k.startsWith("content_") && v(k))
    .map((k) => `<div class="md">${previewMarkdown(v(k), cardMentions)}</div>`)
    .join("");
  const form = parse<{ title: string; submit: { text: string } }>(v("form"));
  const inputs = keys
    .filter((k) => k.startsWith("input_"))
    .map((k) => parse<InputSlot>(v(k)))
    .filter((i): i is InputSlot => i !== undefined);
  const buttons = keys
    .filter((k) => k.startsWith("button_"))
    .map((k) => parse<ButtonSlot>(v(k)))
    .filter((b): b is ButtonSlot => b !== undefined);
  const formHtml = form
    ? `<form class="form" onsubmit="return false"><div class="md"><strong>${esc(form.title)}</strong></div>${inputs.map(inputHtml).join("")}<button class="btn primary">${esc(form.submit.text)}</button></form>`
    : "";
  return `<div class="card dingtalk">
<div class="head" style="--h:${esc(v("header_color"))}"><div class="title">${esc(v("title"))}</div>${v("subtitle") ? `<div class="sub">${esc(v("subtitle"))}</div>` : ""}${
    v("tags") ? `<div class="tags"><span class="tag" style="--c:#fff">${esc(v("tags"))}</span></div>` : ""
  }</div>
<div class="body">${content}${formHtml}${
    buttons.length
      ? `<div class="row">${buttons.map((b) => `<button class="btn ${esc(b.style)}"${b.url ? ` title="${esc(b.url)}"` : ""}>${esc(b.text)}${b.kind === "link" ? " ↗" : ""}</button>`).join("")}</div>`
      : ""
  }</div></div>`;
}

/** A robot markdown / ActionCard message as DingTalk's chat shows it. */
export function dingTalkMessagePreview(msg: DingTalkMessage, names: Names): string {
  if (msg.msgtype === "markdown") {
    const ids = new Set(msg.at.atUserIds);
    const mentions = (s: string) =>
      s.replace(/@([\w$-]+)/g, (whole, id: string) => (ids.has(id) ? chip(esc(names(id) ?? id)) : whole));
    return `<div class="card dingmsg"><div class="body"><div class="md">${previewMarkdown(msg.markdown.text, mentions)}</div></div></div>`;
  }
  const c = msg.actionCard;
  const btns =
    c.btns ?? (c.singleTitle && c.singleURL ? [{ title: c.singleTitle, actionURL: c.singleURL }] : []);
  return `<div class="card dingmsg"><div class="body"><div class="md">${previewMarkdown(c.text, (s) => s)}</div></div>${
    btns.length
      ? `<div class="actioncard">${btns.map((b) => `<a href="${esc(b.actionURL)}">${esc(b.title)}</a>`).join("")}</div>`
      : ""
  }</div>`;
}
