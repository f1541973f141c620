import type { StoredActivity } from "../../adapters/teams/emulator/index.ts";

// biome-ignore lint/suspicious/noExplicitAny: cards are read field by field
type Json = any;

/** The Adaptive Card in a stored activity (or an invoke answer's value). */
export const cardOf = (a: StoredActivity | undefined): Json =>
  a?.activity.attachments && (a.activity.attachments as Json[])[0]?.content;

/** Every string in a card, joined: for "does the card say X". */
export function textOf(v: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === "string") out.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") Object.values(x).forEach(walk);
  };
  walk(v);
  return out.join("\n");
}

/** The Action.Execute verbs a card offers (the buttons a viewer may press). */
export function verbsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (o.type === "Action.Execute" && typeof o.verb === "string" && o !== (card as Json)?.refresh?.action)
        out.push(o.verb);
      for (const [k, v] of Object.entries(o)) if (k !== "refresh") walk(v);
    }
  };
  walk(card);
  return [...new Set(out)];
}
