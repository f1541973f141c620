import { t } from "../../i18n/index.ts";
import type { Button, Card } from "../../model/types.ts";
import { inertMarkdown, safeUrl } from "../../text/markup.ts";
import { jsonBytes } from "../../text/size.ts";
import { paragraphs } from "./paragraphs.ts";
import { plain, robotMention } from "./text.ts";
import { DINGTALK_LIMITS } from "./variables.ts";

/** A robot message body (sessionWebhook; for the OpenAPI use msgKey sampleMarkdown/sampleActionCard*). */
export type DingTalkMessage =
  | {
      readonly msgtype: "markdown";
      readonly markdown: { readonly title: string; readonly text: string };
      readonly at: { readonly atUserIds: readonly string[]; readonly isAtAll: false };
    }
  | {
      readonly msgtype: "actionCard";
      readonly actionCard: {
        readonly title: string;
        readonly text: string;
        readonly btnOrientation: "0" | "1";
        readonly singleTitle?: string;
        readonly singleURL?: string;
        readonly btns?: readonly { readonly title: string; readonly actionURL: string }[];
      };
    };

const buttonsOf = (card: Card): Button[] =>
  card.blocks.flatMap((b) => (b.kind === "actions" ? b.buttons : []));

function links(card: Card): { title: string; actionURL: string }[] {
  const out: { title: string; actionURL: string }[] = [];
  for (const b of buttonsOf(card)) {
    const url = b.does.kind === "link" ? safeUrl(b.does.url) : undefined;
    if (url) out.push({ title: plain(b.text), actionURL: url });
  }
  return out;
}

/**
 * The fallback where no interactive card can go: markdown. ActionCard buttons can only open URLs, so the
 * buttons are the board's links and the card's actions are named for doing on the board. A card that
 * mentions someone goes as a markdown message, the only kind whose @ notifies.
 */
export function message(card: Card): DingTalkMessage | undefined {
  const used = new Set<string>();
  const body = paragraphs(card.blocks, card.locale, robotMention, used, true);
  const actions = buttonsOf(card)
    .filter((b) => b.does.kind !== "link")
    .map((b) => b.text);
  const heading = [`### ${inertMarkdown(card.header.title)}`];
  if (card.header.subtitle) heading.push(inertMarkdown(card.header.subtitle));
  if (card.header.tags.length) heading.push(inertMarkdown(card.header.tags.map((x) => x.text).join(" · ")));
  const parts = [heading.join("  \n"), ...body];
  if (actions.length)
    parts.push(
      inertMarkdown(
        t(card.locale, "plain.buttons", {
          list: [...new Set(actions)].join(t(card.locale, "list.separator")),
        }),
      ),
    );
  const title = plain(card.summary);
  const btns = links(card);
  let out: DingTalkMessage;
  if (used.size > 0) {
    const linkLines = btns.map((b) => `[${inertMarkdown(b.title)}](${b.actionURL})`);
    const text = [...parts, ...linkLines].join("\n\n");
    out = { msgtype: "markdown", markdown: { title, text }, at: { atUserIds: [...used], isAtAll: false } };
  } else if (btns.length === 1) {
    out = {
      msgtype: "actionCard",
      actionCard: {
        title,
        text: parts.join("\n\n"),
        btnOrientation: "0",
        singleTitle: btns[0]!.title,
        singleURL: btns[0]!.actionURL,
      },
    };
  } else if (btns.length > 1) {
    out = {
      msgtype: "actionCard",
      actionCard: { title, text: parts.join("\n\n"), btnOrientation: "0", btns },
    };
  } else {
    out = {
      msgtype: "markdown",
      markdown: { title, text: parts.join("\n\n") },
      at: { atUserIds: [], isAtAll: false },
    };
  }
  return jsonBytes(out) <= DINGTALK_LIMITS.msgParamBytes ? out : undefined;
}
