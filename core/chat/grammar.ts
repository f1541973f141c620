/** What a chat message asks of the bot, whatever platform it came from. */
export type ChatCommand =
  | { readonly kind: "create"; readonly description: string }
  | { readonly kind: "create_form" }
  | { readonly kind: "show"; readonly number: string }
  | { readonly kind: "mine" }
  | { readonly kind: "board" }
  | { readonly kind: "help" }
  | { readonly kind: "unknown"; readonly text: string };

const TICKET_NUMBER = /^[A-Za-z]{1,8}\d{10,}$/;
/** Words that only say "make a ticket": dropped from the description. */
const CREATE_WORDS = ["/ticket", "/工单", "新工单", "工单", "/new"];
/** Words that say "make a ticket" and also what kind: kept in the description so routing sees them. */
const CREATE_CONTENT_WORDS = ["报修", "投诉"];
const MINE = ["/mine", "我的工单", "我的"];
const BOARD = ["/board", "看板"];
const HELP = ["/help", "帮助", "help", "?", "？"];

/** The first word and the rest; Chinese commands are often typed without a space (新工单客户...). */
function split(text: string, words: readonly string[]): string | undefined {
  const lower = text.toLowerCase();
  for (const w of words) {
    if (!lower.startsWith(w.toLowerCase())) continue;
    const rest = text.slice(w.length);
    // Latin commands need a word boundary; Chinese ones may run straight into the text.
    if (/^[a-z/]/i.test(w) && rest !== "" && !/^[\s:：,，]/.test(rest)) continue;
    return rest.replace(/^[\s:：,，]+/, "").trim();
  }
  return undefined;
}

/**
 * Parses the text of a message to the bot (the bot's own mention already removed). Every platform adapter
 * uses this one grammar: `/ticket <description|number>`, `新工单 <description>`, `工单 <number>`,
 * `报修 …`/`投诉 …`, `/mine` `我的工单`, `/board` `看板`, `/help` `帮助`.
 */
export function parseChatCommand(raw: string): ChatCommand {
  const text = raw.replace(/\s+/g, " ").trim();
  if (text === "") return { kind: "help" };
  const whole = text.toLowerCase();
  if (HELP.includes(whole)) return { kind: "help" };
  if (MINE.includes(whole)) return { kind: "mine" };
  if (BOARD.includes(whole)) return { kind: "board" };

  const rest = split(text, CREATE_WORDS);
  if (rest !== undefined) {
    if (rest === "") return { kind: "create_form" };
    if (TICKET_NUMBER.test(rest)) return { kind: "show", number: rest.toUpperCase() };
    return { kind: "create", description: rest };
  }
  const content = split(text, CREATE_CONTENT_WORDS);
  if (content !== undefined)
    return content === "" ? { kind: "create_form" } : { kind: "create", description: text };
  if (TICKET_NUMBER.test(text)) return { kind: "show", number: text.toUpperCase() };
  return { kind: "unknown", text };
}
