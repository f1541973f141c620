/// <reference lib="dom" />
import type { Locale } from "../../../core/i18n/locale.ts";

export interface Viewer {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly departments: readonly string[];
  /** Departments whose late tickets this person answers for. */
  readonly heads: readonly string[];
}

export interface BoardMeta {
  locale: Locale;
  readonly timeZone: string;
  readonly sandbox: boolean;
  readonly csrf: string;
  readonly provider: string;
  readonly viewer: Viewer;
  readonly departments: readonly { id: string; name: string }[];
  readonly people: readonly { id: string; name: string; departments: readonly string[] }[];
  readonly problemTypes: readonly string[];
  readonly hostOrigins: readonly string[];
  readonly view?: "board" | "late";
  readonly open?: string;
}

/** The JSON the server put in the page. */
export function readMeta<T = BoardMeta>(): T {
  const el = document.getElementById("board-meta");
  const meta = JSON.parse(el?.textContent ?? "{}") as T & { locale?: Locale };
  const lang = new URLSearchParams(location.search).get("lang");
  if (lang === "en" || lang === "zh-CN") meta.locale = lang;
  return meta;
}
