import { mayFollowUp } from "../../core/directory/permissions.ts";
import { SURVEY_METHODS } from "../../core/ticket/events.ts";
import type { TicketView } from "../../core/ticket/view.ts";
import { t } from "../i18n/index.ts";
import { clip } from "../text/clean.ts";
import { callback } from "./actions.ts";
import type { CardContext } from "./context.ts";
import { formatTime } from "./format.ts";
import { disputeForm, FORM_TEXT_MAX, formButton } from "./forms.ts";
import { text } from "./inline.ts";
import { boardButton } from "./ticket-buttons.ts";
import { BODY_TEXT_MAX } from "./ticket-card.ts";
import { customerField, headline, ownerField, ticketHeader } from "./ticket-parts.ts";
import type { Block, Button, Card, Form } from "./types.ts";

function resultBlocks(view: TicketView, ctx: CardContext): Block[] {
  const { locale } = ctx;
  const fields = [customerField(view, ctx), ownerField(view, ctx)];
  if (view.resolvedAt)
    fields.push({ label: t(locale, "sla.done"), value: [text(formatTime(view.resolvedAt, ctx))] });
  const blocks: Block[] = [{ kind: "fields", fields }];
  if (view.solution)
    blocks.push({
      kind: "text",
      title: t(locale, "field.solution"),
      content: [text(clip(view.solution, BODY_TEXT_MAX))],
    });
  return blocks;
}

/** For the first-contact agent: did the customer accept the result, or dispute it (with why)? */
export function followUpConfirmCard(
  view: TicketView,
  ctx: CardContext,
  opts: { openForm?: string } = {},
): Card {
  const { locale } = ctx;
  const { number, version } = view;
  const dispute = formButton(
    "dispute",
    t(locale, "button.dispute"),
    "danger",
    disputeForm(locale, number, version),
  );
  const allowed = ctx.viewer === undefined || mayFollowUp(ctx.directory, ctx.viewer, view);
  const buttons: Button[] = [];
  if (allowed)
    buttons.push({
      id: "confirm",
      text: t(locale, "button.confirm"),
      style: "primary",
      does: { kind: "callback", value: callback("confirm", number, version) },
    });
  const board = boardButton(view, ctx);
  const open = allowed && opts.openForm === "dispute_form";
  if (allowed && !open) buttons.push(dispute);
  if (board) buttons.push(board);
  const blocks: Block[] = [
    { kind: "text", content: [text(t(locale, "followUp.confirm.text"))], style: "muted" },
    ...resultBlocks(view, ctx),
  ];
  if (buttons.length) blocks.push({ kind: "actions", buttons });
  if (open && dispute.does.kind === "form") blocks.push({ kind: "form", form: dispute.does.form });
  return {
    kind: "follow-up-confirm",
    locale,
    header: ticketHeader(view, ctx, t(locale, "followUp.confirm.title", { number }), "green"),
    blocks,
    summary: `${t(locale, "followUp.confirm.title", { number })} · ${headline(view, 40)}`,
  };
}

const SCORES = ["5", "4", "3", "2", "1"] as const;

export function surveyForm(view: TicketView, ctx: CardContext): Form {
  const { locale } = ctx;
  const scores = SCORES.map((s) => ({ value: s, text: t(locale, `score.${s}`) }));
  return {
    id: "survey_form",
    title: t(locale, "followUp.survey.title", { number: view.number }),
    inputs: [
      {
        name: "resolutionScore",
        label: t(locale, "survey.resolution"),
        kind: "select",
        required: true,
        placeholder: t(locale, "survey.score.placeholder"),
        options: scores,
      },
      {
        name: "attitudeScore",
        label: t(locale, "survey.attitude"),
        kind: "select",
        required: true,
        placeholder: t(locale, "survey.score.placeholder"),
        options: scores,
      },
      {
        name: "method",
        label: t(locale, "survey.method"),
        kind: "select",
        required: true,
        value: "phone",
        options: SURVEY_METHODS.map((m) => ({ value: m, text: t(locale, `survey.method.${m}`) })),
      },
      {
        name: "suggestion",
        label: t(locale, "survey.suggestion"),
        kind: "multiline",
        required: false,
        placeholder: t(locale, "survey.suggestion.placeholder"),
        maxLength: FORM_TEXT_MAX,
      },
    ],
    submit: {
      text: t(locale, "button.survey"),
      style: "primary",
      value: callback("survey", view.number, view.version),
    },
  };
}

/** The satisfaction follow-up: two 1-5 scores, how it was done, and what the customer suggested. */
export function followUpSurveyCard(view: TicketView, ctx: CardContext): Card {
  const { locale } = ctx;
  const blocks: Block[] = [
    { kind: "text", content: [text(t(locale, "followUp.survey.text"))], style: "muted" },
    ...resultBlocks(view, ctx),
  ];
  if (ctx.viewer === undefined || mayFollowUp(ctx.directory, ctx.viewer, view))
    blocks.push({ kind: "form", form: surveyForm(view, ctx) });
  const board = boardButton(view, ctx);
  if (board) blocks.push({ kind: "actions", buttons: [board] });
  return {
    kind: "follow-up-survey",
    locale,
    header: ticketHeader(view, ctx, t(locale, "followUp.survey.title", { number: view.number }), "green"),
    blocks,
    summary: `${t(locale, "followUp.survey.title", { number: view.number })} · ${headline(view, 40)}`,
  };
}
