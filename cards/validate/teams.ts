import { createRequire } from "node:module";
import type * as AdaptiveCards from "adaptivecards";
import { callbackValueSchema } from "../model/actions.ts";
import { type Validation, validation } from "./result.ts";
import { TEAMS_LIMITS, teamsBytes } from "./teams-limits.ts";

// The package's ESM entry (lib/) does not load in Node; its UMD bundle does (shared/platforms/teams.md §5).
const require = createRequire(import.meta.url);
let library: typeof AdaptiveCards | undefined;
const ac = (): typeof AdaptiveCards => {
  library ??= require("adaptivecards/dist/adaptivecards.js") as typeof AdaptiveCards;
  return library;
};

/** Every parse and validation event of the official Adaptive Cards library, for a 1.5 target. */
export function adaptiveCardEvents(card: unknown): string[] {
  const AC = ac();
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) events.push(`validate: ${e.message}`);
  return events;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
  return out;
}

function actions(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const v of value) actions(v, out);
  else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o.type === "Action.Execute") out.push(o);
    for (const v of Object.values(o)) actions(v, out);
  }
  return out;
}

/**
 * An Adaptive Card for Teams: zero events from the official library, plus what Teams adds (§5): version
 * 1.5, full width, mention entities whose text appears verbatim and no <at> without an entity, Action.Execute
 * with a verb and closeloop's callback data, a refresh for at most 60 users, at most 28 KB.
 */
export function validateTeamsCard(card: unknown): Validation {
  const errors = adaptiveCardEvents(card);
  const c = (card ?? {}) as Record<string, unknown>;
  if (c.type !== "AdaptiveCard") errors.push("type: expected AdaptiveCard");
  if (c.version !== "1.5") errors.push("version: expected 1.5");
  const msteams = (c.msteams ?? {}) as {
    width?: unknown;
    entities?: { type?: unknown; text?: unknown; mentioned?: { id?: unknown; name?: unknown } }[];
  };
  if (msteams.width !== "Full") errors.push("msteams.width: expected Full");
  const texts = strings(c.body).join("\n");
  const entityTexts = new Set<string>();
  for (const e of msteams.entities ?? []) {
    if (
      e.type !== "mention" ||
      typeof e.text !== "string" ||
      typeof e.mentioned?.id !== "string" ||
      typeof e.mentioned?.name !== "string"
    )
      errors.push("msteams.entities: a mention needs type, text, mentioned.id and mentioned.name");
    else if (!texts.includes(e.text))
      errors.push(`msteams.entities: "${e.text}" does not appear in the card`);
    else entityTexts.add(e.text);
  }
  for (const m of texts.matchAll(/<at>.*?<\/at>/g))
    if (!entityTexts.has(m[0])) errors.push(`"${m[0]}" has no mention entity`);
  for (const a of actions(card)) {
    if (typeof a.verb !== "string" || a.verb.length === 0) errors.push("Action.Execute without a verb");
    const data = callbackValueSchema.safeParse(a.data);
    if (!data.success) errors.push(`Action.Execute ${String(a.verb)}: data is not a callback value`);
    else if (data.data.action !== a.verb)
      errors.push(`Action.Execute ${String(a.verb)}: verb and data.action differ`);
  }
  const refresh = c.refresh as { userIds?: unknown[] } | undefined;
  if (refresh?.userIds && refresh.userIds.length > TEAMS_LIMITS.refreshUsers)
    errors.push("refresh.userIds: more than 60");
  const size = teamsBytes(card);
  if (size > TEAMS_LIMITS.bytes) errors.push(`card is ${size} bytes, over ${TEAMS_LIMITS.bytes}`);
  return validation(errors);
}
