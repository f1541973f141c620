import type { CallbackValue } from "./actions.ts";
import type { Card } from "./types.ts";

/** The ticket and version a card is about: its refresh value, else its first button's or form's. */
export function ticketRef(card: Card): Pick<CallbackValue, "ticket" | "version"> | undefined {
  if (card.refresh) return card.refresh;
  for (const b of card.blocks) {
    if (b.kind === "form") return b.form.submit.value;
    if (b.kind !== "actions") continue;
    for (const x of b.buttons) if (x.does.kind !== "link") return x.does.value;
  }
  return undefined;
}
