import { label, PRIORITY_LABELS } from "../../core/i18n/labels.ts";
import { PRIORITIES, type Priority } from "../../core/ticket/schema.ts";
import { t } from "../i18n/index.ts";
import { cleanText, clip } from "../text/clean.ts";
import type { CardContext } from "./context.ts";
import { FORM_TEXT_MAX } from "./forms.ts";
import { text } from "./inline.ts";
import type { Card, Input } from "./types.ts";

/** What was read from a chat message, proposed to the agent before a ticket exists. */
export interface NewTicketDraft {
  /** The server's key for this draft; it keeps any phone found sealed under it. */
  readonly id: string;
  readonly description: string;
  readonly customerName?: string;
  /** Already masked: a card never carries a contact in clear. */
  readonly phoneMasked?: string;
  readonly orderNo?: string;
  readonly priority?: Priority;
  readonly department?: string;
}

/** A form prefilled from the message; submitting it creates the ticket. */
export function newTicketCard(draft: NewTicketDraft, ctx: CardContext): Card {
  const { locale, directory } = ctx;
  // Prefilled values are plain input text, never markup, but contacts in them are still masked.
  const prefill = (v: string | undefined, max = 200) =>
    v === undefined ? undefined : clip(cleanText(v), max);
  const phoneMasked = prefill(draft.phoneMasked, 40);
  const inputs: Input[] = [
    {
      name: "description",
      label: t(locale, "newTicket.description"),
      kind: "multiline",
      required: true,
      value: prefill(draft.description, FORM_TEXT_MAX),
      maxLength: FORM_TEXT_MAX,
    },
    {
      name: "customerName",
      label: t(locale, "newTicket.customerName"),
      kind: "text",
      required: false,
      placeholder: t(locale, "newTicket.customerName.placeholder"),
      value: prefill(draft.customerName),
      maxLength: 100,
    },
    {
      name: "phone",
      label: t(locale, "newTicket.phone"),
      kind: "text",
      required: false,
      placeholder: phoneMasked
        ? t(locale, "newTicket.phone.detected", { masked: phoneMasked })
        : t(locale, "newTicket.phone.placeholder"),
      maxLength: 40,
    },
    {
      name: "orderNo",
      label: t(locale, "newTicket.orderNo"),
      kind: "text",
      required: false,
      value: prefill(draft.orderNo, 60),
      maxLength: 60,
    },
    {
      name: "priority",
      label: t(locale, "newTicket.priority"),
      kind: "select",
      required: true,
      value: draft.priority ?? "normal",
      options: PRIORITIES.map((p) => ({ value: p, text: label(PRIORITY_LABELS, p)[locale] })),
    },
    {
      name: "department",
      label: t(locale, "newTicket.department"),
      kind: "select",
      required: true,
      value: draft.department && directory.department(draft.department) ? draft.department : undefined,
      options: directory.departments().map((d) => ({ value: d.id, text: clip(cleanText(d.name), 60) })),
    },
  ];
  return {
    kind: "new-ticket",
    locale,
    header: { title: t(locale, "newTicket.title"), tone: "blue", tags: [] },
    blocks: [
      { kind: "text", content: [text(t(locale, "newTicket.hint"))], style: "muted" },
      {
        kind: "form",
        form: {
          id: "create_form",
          title: t(locale, "newTicket.title"),
          inputs: inputs.map((i) => (i.value === undefined ? withoutValue(i) : i)),
          submit: {
            text: t(locale, "button.create"),
            style: "primary",
            value: { action: "create", ticket: "", version: 0, draft: draft.id },
          },
        },
      },
    ],
    summary: `${t(locale, "newTicket.title")} · ${clip(cleanText(draft.description).replace(/\s+/g, " "), 40)}`,
  };
}

function withoutValue(i: Input): Input {
  const { value: _drop, ...rest } = i;
  return rest;
}
