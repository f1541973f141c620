import { mayAssign, mayClaim, mayReopen, mayTalk, mayWork } from "../../core/directory/permissions.ts";
import { movesFrom } from "../../core/ticket/transitions.ts";
import type { TicketView } from "../../core/ticket/view.ts";
import { t } from "../i18n/index.ts";
import { callback } from "./actions.ts";
import type { CardContext } from "./context.ts";
import { assignForm, formButton, reopenForm, resolveForm } from "./forms.ts";
import type { Button } from "./types.ts";

/** Department members who could take the ticket over, the current owner excluded. */
export function assignees(view: TicketView, ctx: CardContext): { id: string; name: string }[] {
  return ctx.directory
    .members(view.department)
    .filter((p) => p.id !== view.owner && !p.away)
    .map((p) => ({ id: p.id, name: p.name }));
}

export function boardButton(view: TicketView, ctx: CardContext, id = "board"): Button | undefined {
  if (!ctx.boardLink) return undefined;
  return {
    id,
    text: t(ctx.locale, "button.board"),
    style: "default",
    does: { kind: "link", url: ctx.boardLink(view.number) },
  };
}

export function nudgeButton(view: TicketView, ctx: CardContext, id = "nudge"): Button {
  return {
    id,
    text: t(ctx.locale, "button.nudge"),
    style: "default",
    does: { kind: "callback", value: callback("nudge", view.number, view.version) },
  };
}

/**
 * The buttons of a ticket card: what the status allows (core's transitions) and, when the card is for one
 * person, what that person may do (core's permissions). A shared card shows what the status allows; the
 * server still checks the clicker.
 */
export function ticketButtons(view: TicketView, ctx: CardContext): Button[] {
  const { locale, viewer, directory: dir } = ctx;
  const may = (check: (d: typeof dir, p: NonNullable<typeof viewer>, s: TicketView) => boolean) =>
    viewer === undefined || check(dir, viewer, view);
  const moves = new Set(movesFrom(view.status));
  const { number, version } = view;
  const buttons: Button[] = [];

  const open = view.status !== "resolved";
  const claimable = viewer
    ? view.owner !== viewer.id && mayClaim(dir, viewer, view)
    : view.owner === undefined;
  if (open && claimable)
    buttons.push({
      id: "claim",
      text: t(locale, "button.claim"),
      style: "primary",
      does: { kind: "callback", value: callback("claim", number, version) },
    });
  if (moves.has("start") && may(mayWork))
    buttons.push({
      id: "start",
      text: t(locale, "button.start"),
      style: claimable ? "default" : "primary",
      does: { kind: "callback", value: callback("start", number, version) },
    });
  if (moves.has("resolve") && may(mayWork))
    buttons.push(
      formButton("resolve", t(locale, "button.resolve"), "default", resolveForm(locale, number, version)),
    );
  if (moves.has("reopen") && may(mayReopen))
    buttons.push(
      formButton("reopen", t(locale, "button.reopen"), "danger", reopenForm(locale, number, version)),
    );
  if (open && view.owner && viewer?.id !== view.owner && (viewer === undefined || mayTalk(viewer)))
    buttons.push(nudgeButton(view, ctx));
  if (open && viewer && mayAssign(dir, viewer, view)) {
    const members = assignees(view, ctx);
    if (members.length)
      buttons.push(
        formButton(
          "assign",
          t(locale, "button.assign"),
          "default",
          assignForm(locale, number, version, members),
        ),
      );
  }
  const board = boardButton(view, ctx);
  if (board) buttons.push(board);
  return buttons;
}
