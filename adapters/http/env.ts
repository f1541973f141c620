import type { Locale } from "../../core/i18n/locale.ts";
import type { Platform } from "../../core/ticket/schema.ts";

/** What the auth layer learned about a request, available to every route. */
export interface RequestVars {
  actor: string;
  via: Platform;
  locale: Locale;
}

export type HttpEnv = { Variables: RequestVars };
