import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../i18n/index.ts";
import { cleanText, clip } from "../text/clean.ts";
import { callback } from "./actions.ts";
import type { Button, Form, Input } from "./types.ts";

/** The longest text a form field accepts: Feishu's input cap, well inside core's limits. */
export const FORM_TEXT_MAX = 1000;

function reasonForm(
  locale: Locale,
  id: string,
  action: "resolve" | "reopen" | "dispute",
  name: string,
  ticket: string,
  version: number,
): Form {
  const k = `form.${action}` as const;
  return {
    id,
    title: t(locale, `${k}.title`),
    inputs: [
      {
        name,
        label: t(
          locale,
          action === "resolve" ? "form.resolve.solution" : (`${k}.reason` as "form.reopen.reason"),
        ),
        kind: "multiline",
        required: true,
        placeholder: t(locale, `${k}.placeholder`),
        maxLength: FORM_TEXT_MAX,
      },
    ],
    submit: {
      text: t(locale, `${k}.submit`),
      style: action === "resolve" ? "primary" : "danger",
      value: callback(action, ticket, version),
    },
  };
}

export const resolveForm = (locale: Locale, ticket: string, version: number): Form =>
  reasonForm(locale, "resolve_form", "resolve", "solution", ticket, version);

export const reopenForm = (locale: Locale, ticket: string, version: number): Form =>
  reasonForm(locale, "reopen_form", "reopen", "reason", ticket, version);

export const disputeForm = (locale: Locale, ticket: string, version: number): Form =>
  reasonForm(locale, "dispute_form", "dispute", "reason", ticket, version);

export function assignForm(
  locale: Locale,
  ticket: string,
  version: number,
  members: readonly { id: string; name: string }[],
  suffix = "",
): Form {
  const owner: Input = {
    name: "owner",
    label: t(locale, "form.assign.owner"),
    kind: "select",
    required: true,
    placeholder: t(locale, "form.assign.placeholder"),
    options: members.map((m) => ({ value: m.id, text: clip(cleanText(m.name), 60) })),
  };
  return {
    id: `assign_form${suffix}`,
    title: t(locale, "form.assign.title"),
    inputs: [owner],
    submit: {
      text: t(locale, "form.assign.submit"),
      style: "primary",
      value: callback("assign", ticket, version),
    },
  };
}

/** A button that shows a form: the click asks for it (`form: "open"`) where forms cannot open in place. */
export function formButton(id: string, text: string, style: Button["style"], form: Form): Button {
  return { id, text, style, does: { kind: "form", value: { ...form.submit.value, form: "open" }, form } };
}
