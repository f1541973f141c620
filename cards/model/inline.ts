import type { Locale } from "../../core/i18n/locale.ts";
import { type MessageKey, templateParts } from "../i18n/index.ts";
import { cleanText } from "../text/clean.ts";
import type { CardContext } from "./context.ts";
import { personOf } from "./context.ts";
import type { Inline } from "./types.ts";

/** Text for a card: always cleaned (phones masked, invisible characters dropped). */
export const text = (value: string): Inline => ({ kind: "text", text: cleanText(value) });
export const strong = (value: string): Inline => ({ kind: "strong", text: cleanText(value) });

export function mention(ctx: CardContext, personId: string): Inline {
  const person = personOf(ctx, personId);
  return { kind: "mention", person: { ...person, name: cleanText(person.name) } };
}

/** A message template whose parameters may be any inline (a mention, emphasis) or plain text. */
export function fill(
  locale: Locale,
  key: MessageKey,
  params: Readonly<Record<string, Inline | string | number>>,
): Inline[] {
  const out: Inline[] = [];
  for (const part of templateParts(locale, key)) {
    if (part.literal !== undefined) {
      out.push(text(part.literal));
      continue;
    }
    const value = params[part.param!];
    if (value === undefined) out.push(text(`{${part.param}}`));
    else if (typeof value === "string" || typeof value === "number") out.push(text(String(value)));
    else out.push(value);
  }
  return merge(out);
}

/** Adjacent plain runs joined, empty ones dropped: smaller output, same meaning. */
export function merge(runs: readonly Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const r of runs) {
    if ((r.kind === "text" || r.kind === "strong") && r.text === "") continue;
    const last = out[out.length - 1];
    if (last?.kind === "text" && r.kind === "text")
      out[out.length - 1] = { kind: "text", text: last.text + r.text };
    else out.push(r);
  }
  return out;
}

/** The words of inlines without markup: for summaries and the plain-text fallback. */
export function plainOf(runs: readonly Inline[]): string {
  return runs.map((r) => (r.kind === "mention" ? `@${r.person.name}` : r.text)).join("");
}
