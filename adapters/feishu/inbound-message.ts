import { z } from "zod";
import { replaceOnce } from "../../core/chat/replace.ts";

const mentionSchema = z
  .object({
    key: z.string(),
    id: z.object({ open_id: z.string().optional() }).loose(),
    name: z.string().optional(),
  })
  .loose();

/** im.message.receive_v1 as the SDK flattens it (and as we queue it): the fields we read, checked. */
export const messageEventSchema = z
  .object({
    event_id: z.string(),
    sender: z
      .object({
        sender_id: z.object({ open_id: z.string() }).loose(),
        sender_type: z.string().optional(),
      })
      .loose(),
    message: z
      .object({
        message_id: z.string(),
        chat_id: z.string(),
        chat_type: z.string(),
        message_type: z.string(),
        content: z.string(),
        mentions: z.array(mentionSchema).optional(),
      })
      .loose(),
  })
  .loose();

export type MessageEvent = z.infer<typeof messageEventSchema>;

/** The bot is mentioned when one mention carries the bot's open_id. */
export const mentionsBot = (e: MessageEvent, botOpenId: string | undefined): boolean =>
  (e.message.mentions ?? []).some((m) => m.id.open_id !== undefined && m.id.open_id === botOpenId);

/** The message's text with the bot's mention removed and other mentions shown by name. */
export function commandText(e: MessageEvent, botOpenId: string | undefined): string | undefined {
  if (e.message.message_type !== "text") return undefined;
  let text: string;
  try {
    const v = JSON.parse(e.message.content) as { text?: unknown };
    if (typeof v.text !== "string") return undefined;
    text = v.text;
  } catch {
    return undefined;
  }
  const names = new Map<string, string>();
  for (const m of e.message.mentions ?? [])
    if (!names.has(m.key)) names.set(m.key, m.id.open_id === botOpenId ? "" : `@${m.name ?? ""}`);
  return replaceOnce(text, names).trim();
}
