import { cleanText, clip, oneLine } from "./clean.ts";
import { memoText } from "./memo.ts";

/**
 * Turning typed text into inert text inside a platform's markup. Look-alike characters replace the ones a
 * markup would act on, because each platform's own escaping (backslashes, entities) is undocumented or
 * differs between clients, while a full-width look-alike is inert everywhere and still reads naturally.
 */

// Bare domains some clients turn into links ("example.com", "shop.example.cn/x").
const DOMAIN =
  /([a-z0-9-])\.(com|cn|net|org|io|co|me|app|dev|xyz|top|info|biz|link|cc|tv|uk|us|hk|tw|jp|ai|site|shop|vip|ly|gl|gd)(?![a-z0-9-])/gi;

/** Mentions and links, for every platform and for plain text. */
export const defang = memoText((text: string): string =>
  text
    .replace(/@/g, "＠")
    .replace(/:\/\//g, "：／／")
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}．`)
    .replace(/\b(mailto|tel|sms|javascript|data|file|dingtalk|dtmd|lark|feishu|msteams):/gi, "$1：")
    .replace(DOMAIN, "$1．$2"),
);

const MARKDOWN_CHARS: Readonly<Record<string, string>> = {
  "\\": "＼",
  "`": "｀",
  // The asterisk operator looks like an asterisk (masked phones stay "138∗∗∗∗5678") but is inert.
  "*": "∗",
  _: "＿",
  "~": "～",
  "[": "［",
  "]": "］",
  "<": "＜",
  ">": "＞",
  "#": "＃",
  "|": "｜",
  "&": "＆",
  $: "＄",
  "{": "｛",
  "}": "｝",
};

const MARKDOWN_PATTERN = /[\\`*_~[\]<>#|&${}]/g;

/**
 * Text inside markdown: nothing in it can format, link, embed, mention or start a block. Line starts that
 * would open a list, a quote, a heading or a rule lose that power too.
 */
export const inertMarkdown = memoText((text: string): string =>
  defang(text)
    .replace(MARKDOWN_PATTERN, (c) => MARKDOWN_CHARS[c] ?? c)
    // Indentation would open a code block: gone after a newline, at most one space where the run starts
    // (a run may start mid-line, where its space matters).
    .replace(/\n[ \t]+/g, "\n")
    .replace(/^[ \t]{2,}/, " ")
    .replace(
      /^( ?)([-+=]+)(?=\s|$)/gm,
      (_m, space: string, marks: string) => `${space}${[...marks].map((c) => LINE_MARKS[c] ?? c).join("")}`,
    )
    .replace(
      /^( ?\d+)([.)])(?=\s|$)/gm,
      (_m, lead: string, mark: string) => `${lead}${mark === "." ? "．" : "）"}`,
    ),
);

const LINE_MARKS: Readonly<Record<string, string>> = { "-": "－", "+": "＋", "=": "＝" };

/**
 * Text inside plain text. Where a plain text lands is not always known (a Teams message reads markdown, a
 * Feishu text message reads <at>), so it is made as inert as markdown.
 */
export const inertPlain = inertMarkdown;

/** A URL the model placed (the board), if it is a plain http(s) URL that no markup can misread. */
export function safeUrl(url: string): string | undefined {
  return /^https?:\/\/[^\s()<>[\]"'`\\]+$/i.test(url) ? url : undefined;
}

/**
 * Someone's text quoted inside a plain chat message (the 我的工单 list): one line, cut to `max`, phones
 * masked, and inert, since a Feishu text message acts on <at>, and every client links bare addresses.
 */
export function inertQuote(raw: string, max: number): string {
  return inertPlain(clip(oneLine(cleanText(raw)), max));
}
