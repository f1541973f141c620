/**
 * The variables of closeloop's DingTalk card template (manifests/dingtalk/closeloop-card.template.json).
 * Every render fills every variable (empty string when unused), so a full-replace update clears old values.
 */
export const CONTENT_SLOTS = 6;
export const BUTTON_SLOTS = 6;
export const INPUT_SLOTS = 6;

const slots = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}_${i + 1}`);

export const TEMPLATE_VARIABLES = [
  "title",
  "subtitle",
  "header_color",
  "tags",
  ...slots("content", CONTENT_SLOTS),
  ...slots("button", BUTTON_SLOTS),
  "form",
  ...slots("input", INPUT_SLOTS),
  "ticket",
  "version",
  "locale",
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** DingTalk's caps on cardParamMap (shared/platforms/dingtalk.md §4) and on a robot message's msgParam (§3). */
export const DINGTALK_LIMITS = { keyBytes: 100, valueBytes: 1024, msgParamBytes: 15_000 } as const;
