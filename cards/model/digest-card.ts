import type { Person } from "../../core/directory/schema.ts";
import { t } from "../i18n/index.ts";
import type { CardContext } from "./context.ts";
import { fill, mention, strong, text } from "./inline.ts";
import { type OverdueAlert, overdueButtons, overdueText } from "./overdue-card.ts";
import { headline } from "./ticket-parts.ts";
import type { Block, Card } from "./types.ts";

/** Alerts listed one by one; the rest is counted and left to the board. */
export const DIGEST_LIMIT = 8;

/** Several alerts for one person in one card, the most overdue first (as given). */
export function digestCard(alerts: readonly OverdueAlert[], recipient: Person, ctx: CardContext): Card {
  const { locale } = ctx;
  const shown = alerts.slice(0, DIGEST_LIMIT);
  const blocks: Block[] = [{ kind: "text", content: fill(locale, "digest.intro", { name: recipient.name }) }];
  shown.forEach((alert, i) => {
    const { view } = alert;
    const line = t(locale, "digest.item", {
      number: view.number,
      target: t(locale, `target.${alert.target}`),
      duration: overdueText(alert, ctx),
    });
    blocks.push({ kind: "divider" });
    blocks.push({
      kind: "text",
      content: [
        strong(line),
        text(`\n${headline(view, 50)}\n${t(locale, "field.owner")}: `),
        view.owner ? mention(ctx, view.owner) : text(t(locale, "owner.none")),
        text(` · ${t(locale, "overdue.level", { level: alert.level })}`),
      ],
    });
    const buttons = overdueButtons(alert, ctx, `_${i + 1}`).filter((b) => b.does.kind !== "form");
    if (buttons.length) blocks.push({ kind: "actions", buttons });
  });
  if (alerts.length > shown.length)
    blocks.push({
      kind: "text",
      content: [text(t(locale, "digest.more", { n: alerts.length - shown.length }))],
      style: "muted",
    });
  return {
    kind: "digest",
    locale,
    header: { title: t(locale, "digest.title", { count: alerts.length }), tone: "orange", tags: [] },
    blocks,
    summary: t(locale, "digest.title", { count: alerts.length }),
  };
}
