import { mayAssign } from "../../core/directory/permissions.ts";
import type { TicketView } from "../../core/ticket/view.ts";
import { t } from "../i18n/index.ts";
import type { CardContext } from "./context.ts";
import { formatDuration } from "./format.ts";
import { assignForm, formButton } from "./forms.ts";
import { text } from "./inline.ts";
import { overdueBy, type SlaTarget } from "./sla.ts";
import { assignees, boardButton, nudgeButton } from "./ticket-buttons.ts";
import { customerField, departmentField, headline, ownerField, ticketHeader } from "./ticket-parts.ts";
import type { Block, Button, Card } from "./types.ts";

/** One missed deadline, as the SLA scheduler reports it. */
export interface OverdueAlert {
  readonly view: TicketView;
  readonly target: SlaTarget;
  /** 1 = the department head, 2 = the next head up, and so on. */
  readonly level: number;
  /** The deadline that was missed; default the ticket's deadline for the target. */
  readonly due?: string;
}

function dueOf(alert: OverdueAlert): string | undefined {
  if (alert.due) return alert.due;
  const due: Readonly<Record<string, string | undefined>> = alert.view.due;
  return due[alert.target];
}

export function overdueButtons(alert: OverdueAlert, ctx: CardContext, suffix = ""): Button[] {
  const { view } = alert;
  const { locale, viewer, directory } = ctx;
  const buttons: Button[] = [];
  if (view.owner && view.status !== "resolved") buttons.push(nudgeButton(view, ctx, `nudge${suffix}`));
  if (view.status !== "resolved" && (viewer === undefined || mayAssign(directory, viewer, view))) {
    const members = assignees(view, ctx);
    if (members.length)
      buttons.push(
        formButton(
          `assign${suffix}`,
          t(locale, "button.assign"),
          "default",
          assignForm(locale, view.number, view.version, members, suffix),
        ),
      );
  }
  const board = boardButton(view, ctx, `board${suffix}`);
  if (board) buttons.push(board);
  return buttons;
}

export const overdueText = (alert: OverdueAlert, ctx: CardContext): string =>
  formatDuration(overdueBy(dueOf(alert), ctx), ctx.locale);

/** For a department head: which target was missed and by how much, who owns it, how far it has climbed. */
export function overdueCard(alert: OverdueAlert, ctx: CardContext, opts: { openForm?: string } = {}): Card {
  const { view } = alert;
  const { locale } = ctx;
  const target = t(locale, `target.${alert.target}`);
  const buttons = overdueButtons(alert, ctx);
  const opened = buttons.find((b) => b.does.kind === "form" && b.does.form.id === opts.openForm);
  const blocks: Block[] = [
    { kind: "text", content: [text(t(locale, "overdue.text", { target }))], style: "attention" },
    {
      kind: "fields",
      fields: [
        { label: t(locale, "field.target"), value: [text(target)] },
        { label: t(locale, "field.overdueBy"), value: [text(overdueText(alert, ctx))] },
        ownerField(view, ctx),
        {
          label: t(locale, "field.level"),
          value: [text(t(locale, "overdue.level", { level: alert.level }))],
        },
        departmentField(view, ctx),
        customerField(view, ctx),
      ],
    },
  ];
  const shown = buttons.filter((b) => b !== opened);
  if (shown.length) blocks.push({ kind: "actions", buttons: shown });
  if (opened?.does.kind === "form") blocks.push({ kind: "form", form: opened.does.form });
  return {
    kind: "overdue",
    locale,
    header: ticketHeader(view, ctx, t(locale, "overdue.title", { number: view.number }), "red"),
    blocks,
    summary: `${t(locale, "overdue.title", { number: view.number })} · ${headline(view, 40)}`,
  };
}
