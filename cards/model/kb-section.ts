import { mayUseArticles } from "../../core/directory/permissions.ts";
import { daysSince } from "../../core/kb/stale.ts";
import type { Suggestion } from "../../core/kb/views.ts";
import type { TicketView } from "../../core/ticket/view.ts";
import { clip, oneLine } from "../text/clean.ts";
import type { CallbackValue } from "./actions.ts";
import type { CardContext } from "./context.ts";
import { personOf } from "./context.ts";
import { strong, text } from "./inline.ts";
import { kbText } from "./kb-text.ts";
import type { Block, Button, Inline } from "./types.ts";

const TITLE_MAX = 40;
const EXCERPT_MAX = 80;

const kbCallback = (
  action: "kb_send" | "kb_solved" | "kb_unsolved",
  view: TicketView,
  article: string,
): CallbackValue => ({ action, ticket: view.number, version: view.version, article });

function line(s: Suggestion, n: number, ctx: CardContext): Inline[] {
  const { locale } = ctx;
  const notes: string[] = [];
  if (s.outcome) notes.push(kbText(locale, s.outcome === "solved" ? "markedSolved" : "markedUnsolved"));
  else if (s.sentBy) notes.push(kbText(locale, "sentBy", { name: personOf(ctx, s.sentBy).name }));
  if (s.solved || s.unsolved) notes.push(kbText(locale, "tally", { solved: s.solved, unsolved: s.unsolved }));
  if (s.stale) notes.push(kbText(locale, "stale", { days: daysSince(s.reviewedAt, ctx.now) }));
  return [
    text(`${n > 1 ? "\n" : ""}${n}. `),
    strong(clip(oneLine(s.title), TITLE_MAX)),
    ...(notes.length ? [text(` · ${notes.join(" · ")}`)] : []),
    ...(s.excerpt ? [text(`\n${clip(oneLine(s.excerpt), EXCERPT_MAX)}`)] : []),
  ];
}

function buttons(list: readonly Suggestion[], view: TicketView, ctx: CardContext): Button[] {
  const { locale } = ctx;
  const out: Button[] = [];
  list.forEach((s, i) => {
    const n = i + 1;
    if (!s.sentAt && !s.outcome)
      out.push({
        id: `kb_send_${n}`,
        text: kbText(locale, "send", { n }),
        style: "default",
        does: { kind: "callback", value: kbCallback("kb_send", view, s.id) },
      });
    else if (!s.outcome)
      out.push(
        {
          id: `kb_solved_${n}`,
          text: kbText(locale, "solved", { n }),
          style: "primary",
          does: { kind: "callback", value: kbCallback("kb_solved", view, s.id) },
        },
        {
          id: `kb_unsolved_${n}`,
          text: kbText(locale, "unsolved", { n }),
          style: "default",
          does: { kind: "callback", value: kbCallback("kb_unsolved", view, s.id) },
        },
      );
  });
  return out;
}

/**
 * The ticket card's "Suggested answers": the articles the knowledge base picked for this ticket, numbered,
 * with a Send button each, then Solved / Did not help for one already sent. Buttons only for someone who
 * may use them on this ticket (a shared card shows them; the server checks the clicker) and while it is open.
 */
export function kbSuggestionBlocks(view: TicketView, ctx: CardContext): Block[] {
  const list = ctx.knowledge?.(view) ?? [];
  if (list.length === 0) return [];
  const content = list.flatMap((s, i) => line(s, i + 1, ctx));
  const blocks: Block[] = [{ kind: "text", title: kbText(ctx.locale, "suggested"), content }];
  const allowed = ctx.viewer === undefined || mayUseArticles(ctx.directory, ctx.viewer, view);
  const actions = allowed && view.status !== "resolved" ? buttons(list, view, ctx) : [];
  if (actions.length) blocks.push({ kind: "actions", buttons: actions });
  return blocks;
}
