import type { Locale } from "../../../core/i18n/locale.ts";
import { t } from "../../i18n/index.ts";
import type { Block } from "../../model/types.ts";
import { inertMarkdown } from "../../text/markup.ts";
import { shownValue } from "../plain.ts";
import { type MentionStyle, markdown } from "./text.ts";

const colon = (locale: Locale) => (locale === "zh-CN" ? "：" : ": ");

/** The readable blocks of a card as markdown paragraphs (buttons, and forms unless asked, are rendered apart). */
export function paragraphs(
  blocks: readonly Block[],
  locale: Locale,
  mention: MentionStyle,
  used: Set<string>,
  /** Forms as read-only lines: for robot messages, where a form cannot be shown. */
  withForms = false,
): string[] {
  const out: string[] = [];
  const md = (runs: Parameters<typeof markdown>[0]) => markdown(runs, mention, used);
  for (const b of blocks) {
    switch (b.kind) {
      case "fields":
        out.push(
          b.fields.map((f) => `**${inertMarkdown(f.label)}**${colon(locale)}${md(f.value)}`).join("  \n"),
        );
        break;
      case "text":
        out.push(`${b.title ? `**${inertMarkdown(b.title)}**  \n` : ""}${md(b.content)}`);
        break;
      case "timeline": {
        const lines = b.entries.map((e) => `${inertMarkdown(e.at)}  ${md(e.content)}`);
        if (b.omitted > 0) lines.push(inertMarkdown(t(locale, "timeline.omitted", { n: b.omitted })));
        out.push(`**${inertMarkdown(b.title)}**  \n${lines.join("  \n")}`);
        break;
      }
      case "form":
        // Where a form cannot be shown (a robot message), what it was prefilled with still reads.
        if (withForms)
          out.push(
            [
              `**${inertMarkdown(b.form.title)}**`,
              ...b.form.inputs.map((i) => {
                const value = shownValue(i);
                return `${inertMarkdown(i.label)}${value ? `${colon(locale)}${inertMarkdown(value)}` : ""}`;
              }),
            ].join("  \n"),
          );
        break;
      default:
        break;
    }
  }
  return out;
}
