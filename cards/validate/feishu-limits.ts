import { fitsBytes, jsonBytes, KB } from "../text/size.ts";

/** Feishu's caps for a card message (shared/platforms/feishu.md): 30 KB of content, 200 components. */
export const FEISHU_LIMITS = {
  bytes: 30 * KB,
  components: 200,
  elementId: 20,
  inputMaxLength: 1000,
} as const;

export const feishuBytes = (card: unknown): number => jsonBytes(card);

/** Components in a card body: every object with a `tag`, text objects (plain_text, lark_md) aside. */
export function feishuComponents(card: unknown): number {
  let n = 0;
  const walk = (v: unknown, inBody: boolean): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, inBody);
      return;
    }
    if (v === null || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    if (inBody && typeof o.tag === "string" && o.tag !== "plain_text" && o.tag !== "lark_md") n += 1;
    for (const [k, x] of Object.entries(o)) walk(x, inBody || k === "body");
  };
  walk(card, false);
  return n;
}

/** `"tag":` as a key in JSON text; inside a string value its quotes would be escaped. */
function tagKeys(json: string): number {
  let n = 0;
  for (let at = json.indexOf('"tag":'); at !== -1; at = json.indexOf('"tag":', at + 6)) n++;
  return n;
}

/** The shortest a component can be in JSON: `{"tag":""}`. */
const SHORTEST_COMPONENT = 10;

/**
 * Within Feishu's caps for a card. Every component has one `tag` key and takes 10 characters or more, so
 * the JSON's length, then a count of those keys, bound the components; the card is walked only near the cap.
 */
export function withinFeishuLimits(card: unknown): boolean {
  const json = JSON.stringify(card);
  if (!fitsBytes(json, FEISHU_LIMITS.bytes)) return false;
  const { components } = FEISHU_LIMITS;
  return (
    json.length <= SHORTEST_COMPONENT * components ||
    tagKeys(json) <= components ||
    feishuComponents(card) <= components
  );
}
