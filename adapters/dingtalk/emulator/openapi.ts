import { randomUUID } from "node:crypto";
import { type EmuResponse, newApiError, ok, oldApiError } from "./errors.ts";

export interface EmuUser {
  readonly userId: string;
  readonly name: string;
  readonly deptIds?: readonly number[];
}
export interface EmuDepartment {
  readonly deptId: number;
  readonly name: string;
  readonly parentId?: number;
  readonly managers: readonly string[];
}
export interface EmuGroup {
  readonly openConversationId: string;
  readonly title: string;
  readonly robotIn?: boolean;
}

export interface EmuCard {
  readonly outTrackId: string;
  readonly templateId: string;
  readonly callbackType?: string;
  readonly spaces: readonly string[];
  cardParamMap: Record<string, string>;
  privateData: Record<string, Record<string, string>>;
  readonly atUserIds: Readonly<Record<string, string>>;
  /** `<a atId=…>` mentions written in the card whose user is not in atUserIds (group cards): they would not notify. */
  readonly silentMentions: readonly string[];
  updates: number;
  /**
   * The public card data as it stood after each write, oldest first: the create, then every update (API
   * PUT or a click's answer) that replaced it (`updates` also counts writes of private data only).
   */
  readonly history: {
    readonly via: "create" | "update" | "answer";
    readonly cardParamMap: Record<string, string>;
  }[];
  /** Order among everything the emulator showed in chats, and when. */
  readonly seq: number;
  readonly at: number;
}

export interface SentMessage {
  readonly via: "session" | "group" | "o2o";
  readonly target: string;
  readonly msgtype: string;
  readonly text: string;
  /** Users notified: listed in at.atUserIds AND written as @userId in the text. */
  readonly mentioned: readonly string[];
  /** Listed without the @ in the text, or written without being listed: DingTalk notifies neither. */
  readonly halfMentions: readonly string[];
  /** The message as sent: a webhook body, or {msgKey, msgParam} parsed. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly seq: number;
  readonly at: number;
}

export interface Ding {
  readonly remindType: number;
  readonly receivers: readonly string[];
  readonly content: string;
}

export const MSG_KEYS: Readonly<Record<string, readonly string[]>> = {
  sampleText: ["content"],
  sampleMarkdown: ["title", "text"],
  sampleLink: ["title", "text", "messageUrl"],
  sampleImageMsg: ["photoURL"],
  sampleActionCard: ["title", "text", "singleTitle", "singleURL"],
  sampleActionCard2: ["title", "text", "actionTitle1", "actionURL1", "actionTitle2", "actionURL2"],
  sampleActionCard3: ["title", "text", "actionTitle1", "actionURL1"],
  sampleActionCard4: ["title", "text", "actionTitle1", "actionURL1"],
  sampleActionCard5: ["title", "text", "actionTitle1", "actionURL1"],
  sampleActionCard6: ["title", "text", "buttonTitle1", "buttonUrl1", "buttonTitle2", "buttonUrl2"],
};

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** cardParamMap rules: an object of strings only; keys ≤ 100 bytes, values ≤ 1 KB. */
export function paramMapError(map: unknown, where: string): EmuResponse | undefined {
  if (!isObj(map)) return newApiError(400, "param.cardParamMapInvalid", `${where} must be an object`);
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== "string")
      return newApiError(400, "param.cardParamMapInvalid", `${where}.${k}: values must be strings`);
    if (bytes(k) > 100) return newApiError(400, "param.cardParamMapInvalid", `${where}: key over 100 bytes`);
    if (bytes(v) > 1024)
      return newApiError(400, "param.cardParamMapInvalid", `${where}.${k}: value over 1 KB`);
  }
  return undefined;
}

/** The @ rules of robot messages: both `@userId` in the text and the id in at.atUserIds. */
export function mentionsOf(text: string, at: unknown): { mentioned: string[]; half: string[] } {
  const listed = new Set(
    isObj(at) && Array.isArray(at.atUserIds)
      ? at.atUserIds.filter((x): x is string => typeof x === "string")
      : [],
  );
  const written = new Set([...text.matchAll(/@([A-Za-z0-9_$-]+)/g)].map((m) => m[1]!));
  return {
    mentioned: [...listed].filter((id) => written.has(id)),
    half: [...new Set([...listed, ...written])].filter((id) => !(listed.has(id) && written.has(id))),
  };
}

/** A session-webhook or robot message body: {msgtype, <msgtype>: {...}, at?}. */
export function messageBodyError(body: Record<string, unknown>): string | undefined {
  const type = body.msgtype;
  const content = typeof type === "string" ? body[type] : undefined;
  if (!isObj(content)) return "msgtype and its body are required";
  if (type === "text" && typeof content.content !== "string") return "text.content required";
  if (type === "markdown" && (typeof content.title !== "string" || typeof content.text !== "string"))
    return "markdown.title and markdown.text required";
  if (type === "actionCard" && (typeof content.title !== "string" || typeof content.text !== "string"))
    return "actionCard.title and actionCard.text required";
  if (!["text", "markdown", "actionCard", "link", "feedCard"].includes(String(type)))
    return "unknown msgtype";
  if (bytes(JSON.stringify(body)) > 20_000) return "message too large";
  return undefined;
}

export function textOf(body: Record<string, unknown>): string {
  const c = body[String(body.msgtype)] as Record<string, unknown> | undefined;
  return String(c?.content ?? c?.text ?? "");
}

/** openSpaceId: `dtv1.card//` then `TYPE.id` parts joined by `;`. */
export function parseSpaces(openSpaceId: unknown): { type: string; id: string }[] | undefined {
  if (typeof openSpaceId !== "string" || !openSpaceId.startsWith("dtv1.card//")) return undefined;
  const parts = openSpaceId.slice("dtv1.card//".length).split(";");
  const out: { type: string; id: string }[] = [];
  for (const p of parts) {
    const m = /^(IM_GROUP|IM_ROBOT|IM_SINGLE|ONE_BOX)\.(.+)$/.exec(p);
    if (!m) return undefined;
    out.push({ type: m[1]!, id: m[2]! });
  }
  return out.length ? out : undefined;
}

export const requestId = () => randomUUID().toUpperCase();
export { newApiError, ok, oldApiError };
