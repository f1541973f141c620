import { t } from "../i18n/index.ts";
import type { Block, Card, Inline, Input } from "../model/types.ts";
import { inertPlain, safeUrl } from "../text/markup.ts";

const colon = (card: Card) => (card.locale === "zh-CN" ? "：" : ": ");
/** A title alone on its line: no trailing space. */
const titled = (card: Card, title: string) => `${inertPlain(title)}${card.locale === "zh-CN" ? "：" : ":"}`;

/** Plain text still goes through platforms that read <at ...>, @all or URLs in text: keep it inert. */
function line(runs: readonly Inline[]): string {
  return runs.map(run).join("");
}

function run(r: Inline): string {
  switch (r.kind) {
    case "text":
    case "strong":
      return inertPlain(r.text);
    case "mention":
      return `@${inertPlain(r.person.name)}`;
    case "link":
      return inertPlain(r.text);
  }
}

/** What a prefilled input shows: a select's option text, not its value. */
export function shownValue(i: Input): string | undefined {
  if (i.kind !== "select") return i.value;
  return i.options?.find((o) => o.value === i.value)?.text;
}

function block(b: Block, card: Card): string[] {
  switch (b.kind) {
    case "fields":
      return b.fields.map((f) => `${inertPlain(f.label)}${colon(card)}${line(f.value)}`);
    case "text":
      return [...(b.title ? [titled(card, b.title)] : []), line(b.content)];
    case "timeline":
      return [
        titled(card, b.title),
        ...b.entries.map((e) => `  ${inertPlain(e.at)}  ${line(e.content)}`),
        ...(b.omitted > 0 ? [`  ${inertPlain(t(card.locale, "timeline.omitted", { n: b.omitted }))}`] : []),
      ];
    case "form":
      return [
        titled(card, b.form.title),
        ...b.form.inputs.map((i) => {
          const value = shownValue(i);
          return `  ${inertPlain(i.label)}${value ? `${colon(card)}${inertPlain(value)}` : ""}`;
        }),
      ];
    default:
      return [];
  }
}

/**
 * The card as plain text, for platforms or places where a card cannot go. Buttons become a list of what
 * can be done; the board link (the model's own URL) is the only link.
 */
export function renderPlainText(card: Card): string {
  const { header } = card;
  const out: string[] = [
    `【${inertPlain(header.title)}】${header.tags.length ? ` ${inertPlain(header.tags.map((x) => x.text).join(" · "))}` : ""}`,
  ];
  if (header.subtitle) out.push(inertPlain(header.subtitle));
  const sections = card.blocks.map((b) => block(b, card)).filter((s) => s.length > 0);
  for (const s of sections) out.push("", ...s);
  const buttons = card.blocks.flatMap((b) => (b.kind === "actions" ? b.buttons : []));
  const actions = [...new Set(buttons.filter((b) => b.does.kind !== "link").map((b) => inertPlain(b.text)))];
  const board = buttons
    .map((b) => (b.does.kind === "link" ? safeUrl(b.does.url) : undefined))
    .find((u) => u !== undefined);
  if (actions.length || board) out.push("");
  if (actions.length)
    out.push(t(card.locale, "plain.buttons", { list: actions.join(t(card.locale, "list.separator")) }));
  if (board) out.push(t(card.locale, "plain.board", { url: board }));
  return out.join("\n");
}
