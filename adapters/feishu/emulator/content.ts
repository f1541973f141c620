import { validateFeishuCard } from "../../../cards/validate/feishu.ts";

/** A refusal as Feishu words it: the HTTP status, the business code and its message. */
export interface Refusal {
  readonly status: number;
  readonly code: number;
  readonly msg: string;
}

export const TEXT_LIMIT = 150 * 1024;
export const CARD_LIMIT = 30 * 1024;

const refuse = (code: number, msg: string, status = 400): Refusal => ({ status, code, msg });

/** The card a message carries, parsed, or a refusal. */
export function parseCard(content: string): { card?: Record<string, unknown>; refusal?: Refusal } {
  if (Buffer.byteLength(content) > CARD_LIMIT)
    return { refusal: refuse(230025, "card content exceeds 30 KB") };
  let card: unknown;
  try {
    card = JSON.parse(content);
  } catch {
    return { refusal: refuse(230001, "content is not valid JSON") };
  }
  if (!card || typeof card !== "object") return { refusal: refuse(230001, "card must be an object") };
  const obj = card as Record<string, unknown>;
  if (obj.type === "template") return { card: obj };
  if (obj.schema === "2.0") {
    const v = validateFeishuCard(obj);
    if (!v.ok) return { refusal: refuse(230099, `card build failed: ${v.errors.slice(0, 3).join("; ")}`) };
    return { card: obj };
  }
  if (!Array.isArray(obj.elements)) return { refusal: refuse(230099, "card 1.0 needs elements") };
  return { card: obj };
}

/** Checks `content` against the rules of its msg_type, as the IM API does on send and reply. */
export function checkContent(msgType: unknown, content: unknown): Refusal | undefined {
  if (typeof content !== "string") return refuse(230001, "content must be a JSON string");
  switch (msgType) {
    case "text": {
      if (Buffer.byteLength(content) > TEXT_LIMIT) return refuse(230025, "text content exceeds 150 KB");
      try {
        const v = JSON.parse(content) as { text?: unknown };
        if (typeof v.text !== "string" || v.text.trim() === "")
          return refuse(230001, "text content needs text");
      } catch {
        return refuse(230001, "content is not valid JSON");
      }
      return undefined;
    }
    case "post": {
      if (Buffer.byteLength(content) > CARD_LIMIT) return refuse(230025, "post content exceeds 30 KB");
      try {
        const v = JSON.parse(content) as Record<string, unknown>;
        const body = (v.post ?? v) as Record<string, { content?: unknown }>;
        const langs = Object.values(body);
        if (langs.length === 0 || !langs.every((l) => Array.isArray(l?.content)))
          return refuse(230001, "post content needs a locale with content");
      } catch {
        return refuse(230001, "content is not valid JSON");
      }
      return undefined;
    }
    case "interactive":
      return parseCard(content).refusal;
    default:
      return refuse(230001, `msg_type ${String(msgType)} is not supported here`);
  }
}

export const updateMulti = (card: Record<string, unknown>): boolean =>
  (card.config as { update_multi?: unknown } | undefined)?.update_multi === true || card.type === "template";
