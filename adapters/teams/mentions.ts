import { replaceOnce } from "../../core/chat/replace.ts";
import type { Activity } from "./activity.ts";
import { mentionsOf } from "./activity.ts";

/** Names inside <at> must not carry markup: & and < (and >) are escaped. */
export const escapeXml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const unescapeXml = (s: string): string =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");

export interface OutboundMention {
  readonly type: "mention";
  readonly text: string;
  readonly mentioned: { readonly id: string; readonly name: string };
}

/** A mention for a message: `<at>name</at>` to put in the text and the entity whose text occurs verbatim there. */
export function mentionOf(id: string, name: string): OutboundMention {
  const text = `<at>${escapeXml(name)}</at>`;
  return { type: "mention", text, mentioned: { id, name } };
}

export interface ReadMessage {
  /** The text with the bot's mention removed, other mentions as plain names and markup stripped. */
  readonly text: string;
  /** The people mentioned besides the bot (their aadObjectId or Teams id). */
  readonly mentioned: readonly {
    readonly id: string;
    readonly aadObjectId?: string;
    readonly name: string;
  }[];
}

/**
 * Reads a message addressed to the bot: identities from the mention entities, never from the text, and the
 * bot's own `<at>…</at>` dropped so the command grammar sees only what the person typed.
 */
export function readMessage(activity: Activity): ReadMessage {
  const names = new Map<string, string>();
  const mentioned: { id: string; aadObjectId?: string; name: string }[] = [];
  for (const m of mentionsOf(activity)) {
    const isBot = m.mentioned.id === activity.recipient.id;
    if (m.text && !names.has(m.text)) names.set(m.text, isBot ? " " : (m.mentioned.name ?? ""));
    if (!isBot)
      mentioned.push({
        id: m.mentioned.id,
        aadObjectId: m.mentioned.aadObjectId,
        name: m.mentioned.name ?? "",
      });
  }
  // Channel messages arrive as HTML: drop tags (a leftover <at> included), keep the words.
  const text = unescapeXml(
    replaceOnce(activity.text ?? "", names)
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<[^>]*>/g, " "),
  );
  return { text: text.replace(/[ \t]+/g, " ").trim(), mentioned };
}
