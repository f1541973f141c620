import type { Person } from "../../core/directory/schema.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { CallbackValue } from "./actions.ts";

/**
 * The neutral card: what a person should see and may do, with no platform in it. Every string in it is
 * already clean (phones masked, control characters gone) but NOT escaped: each renderer escapes for its
 * own markup, so text someone typed can never become markup.
 */
export interface Card {
  readonly kind: CardKind;
  readonly locale: Locale;
  readonly header: Header;
  readonly blocks: readonly Block[];
  /** One line for notification previews and chat list summaries. */
  readonly summary: string;
  /** Present on cards whose buttons depend on who looks: the platform may re-render per viewer. */
  readonly refresh?: CallbackValue;
}

export type CardKind =
  | "ticket"
  | "new-ticket"
  | "nudge"
  | "overdue"
  | "digest"
  | "follow-up-confirm"
  | "follow-up-survey"
  | "kb-answer"
  | "weekly-review";

/** Neutral colours; each renderer maps them to what its platform offers. */
export type Tone = "red" | "orange" | "blue" | "green" | "grey";

export interface Header {
  readonly title: string;
  readonly subtitle?: string;
  readonly tone: Tone;
  readonly tags: readonly { readonly text: string; readonly tone: Tone }[];
}

/** A run of text in a line. Only `mention` and `link` may become active markup, and only the model makes them. */
export type Inline =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "strong"; readonly text: string }
  | { readonly kind: "mention"; readonly person: Person }
  | { readonly kind: "link"; readonly text: string; readonly url: string };

export interface Field {
  readonly label: string;
  readonly value: readonly Inline[];
}

export interface TimelineLine {
  /** Already formatted for the card's locale and time zone. */
  readonly at: string;
  readonly content: readonly Inline[];
}

export type Block =
  | { readonly kind: "fields"; readonly fields: readonly Field[] }
  | {
      readonly kind: "text";
      readonly title?: string;
      readonly content: readonly Inline[];
      readonly style?: "normal" | "muted" | "attention";
    }
  | {
      readonly kind: "timeline";
      readonly title: string;
      /** Newest first. Renderers drop entries from the end (the oldest) when a card is too big. */
      readonly entries: readonly TimelineLine[];
      /** Entries left out, shown as "N earlier entries are on the board". */
      readonly omitted: number;
    }
  | { readonly kind: "divider" }
  | { readonly kind: "actions"; readonly buttons: readonly Button[] }
  | { readonly kind: "form"; readonly form: Form };

export type ButtonStyle = "primary" | "default" | "danger";

export interface Button {
  /** Unique within the card; short ([a-z0-9_], at most 20 characters). */
  readonly id: string;
  readonly text: string;
  readonly style: ButtonStyle;
  readonly does: ButtonEffect;
}

export type ButtonEffect =
  /** A click calls the server back with `value`. */
  | { readonly kind: "callback"; readonly value: CallbackValue }
  /** A click opens a page the model chose (the board), never one from ticket text. */
  | { readonly kind: "link"; readonly url: string }
  /**
   * A click shows a form. Platforms with client-side forms (Teams' ShowCard) show it at once; the others call
   * back with `value` (which carries `form: "open"`) and answer with the card built with this form open.
   */
  | { readonly kind: "form"; readonly value: CallbackValue; readonly form: Form };

export interface Form {
  /** Unique within the card; short ([a-z0-9_], at most 20 characters). */
  readonly id: string;
  readonly title: string;
  readonly inputs: readonly Input[];
  readonly submit: { readonly text: string; readonly style: ButtonStyle; readonly value: CallbackValue };
}

export interface Input {
  /** The key under which the value comes back. */
  readonly name: string;
  readonly label: string;
  readonly kind: "text" | "multiline" | "select";
  readonly required: boolean;
  readonly placeholder?: string;
  /** A prefilled value: plain, editable text (never markup). */
  readonly value?: string;
  readonly maxLength?: number;
  readonly options?: readonly { readonly value: string; readonly text: string }[];
}
