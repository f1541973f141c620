import type { Locale } from "../../core/i18n/locale.ts";
import type { CardContext } from "../model/context.ts";
import {
  type Card,
  digestCard,
  followUpConfirmCard,
  followUpSurveyCard,
  kbAnswerCard,
  newTicketCard,
  nudgeCard,
  overdueCard,
  ticketCard,
} from "../model/index.ts";
import { renderDingTalkCard, renderDingTalkMessage } from "../render/dingtalk.ts";
import { renderFeishu } from "../render/feishu.ts";
import { renderPlainText } from "../render/plain.ts";
import { renderTeams } from "../render/teams.ts";
import { sampleAnswer, sampleSuggestions } from "./kb-samples.ts";
import { PROFILE_CASES } from "./profile-cases.ts";
import { SAMPLE_NOW, sampleBoardLink, sampleBusinessTime, sampleDirectory, sampleView } from "./samples.ts";

/** One card of the gallery and of the golden files: a sample ticket seen by someone, in a locale. */
export interface CardCase {
  readonly name: string;
  /** What the case shows, for the gallery. */
  readonly about: string;
  readonly build: (locale: Locale) => Card;
}

function context(locale: Locale, viewer?: string, extra: Partial<CardContext> = {}): CardContext {
  const directory = sampleDirectory();
  const person = viewer ? directory.person(viewer) : undefined;
  return {
    directory,
    locale,
    now: SAMPLE_NOW,
    boardLink: sampleBoardLink,
    ...(person ? { viewer: person } : {}),
    ...extra,
  };
}

export const CARD_CASES: readonly CardCase[] = [
  {
    name: "ticket-unclaimed",
    about: "Urgent ticket nobody owns yet, first response overdue; posted in a group (no viewer).",
    build: (l) => ticketCard(sampleView("unclaimed"), context(l)),
  },
  {
    name: "ticket-working",
    about: "In progress, seen by its owner (eng-wu): Resolve, Reassign is not theirs.",
    build: (l) => ticketCard(sampleView("working"), context(l, "eng-wu")),
  },
  {
    name: "ticket-late",
    about: "Past its resolution deadline (business time), seen by the department head (head-tech).",
    build: (l) =>
      ticketCard(sampleView("late"), context(l, "head-tech", { businessTime: sampleBusinessTime })),
  },
  {
    name: "ticket-assigned-head",
    about:
      "Routed to eng-sun, not started, seen by the department head (head-tech): six buttons, the most a ticket card carries.",
    build: (l) => ticketCard(sampleView("assigned"), context(l, "head-tech")),
  },
  {
    name: "ticket-resolved",
    about: "Resolved, seen by the first-contact agent (agent-zhou), who may reopen it.",
    build: (l) => ticketCard(sampleView("done"), context(l, "agent-zhou")),
  },
  {
    name: "ticket-resolve-form",
    about: "The owner clicked Resolve: the card again with the solution form open.",
    build: (l) => ticketCard(sampleView("working"), context(l, "eng-wu"), { openForm: "resolve_form" }),
  },
  {
    name: "new-ticket",
    about: "New-ticket form prefilled from a chat message; the phone found is only shown masked.",
    build: (l) =>
      newTicketCard(
        {
          id: "draft-7f3a",
          description:
            "客户李女士来电：订单号 202611150009876 快递显示已签收但没收到包裹，要求补发。联系电话 13900139002。",
          customerName: "李女士",
          phoneMasked: "139****9002",
          orderNo: "202611150009876",
          priority: "normal",
          department: "logistics",
        },
        context(l, "agent-zhou"),
      ),
  },
  {
    name: "nudge",
    about: "Nudge message: the owner mentioned, who nudged, the ticket in short.",
    build: (l) => nudgeCard(sampleView("late"), context(l, "agent-li")),
  },
  {
    name: "overdue-alert",
    about: "Overdue alert for the department head: missed target, by how much, level; Nudge, Reassign.",
    build: (l) =>
      overdueCard({ view: sampleView("late"), target: "resolution", level: 1 }, context(l, "head-tech")),
  },
  {
    name: "digest",
    about: "Several alerts for one person (the customer-service head) in one card.",
    build: (l) =>
      digestCard(
        [
          { view: sampleView("late"), target: "resolution", level: 2 },
          { view: sampleView("unclaimed"), target: "firstResponse", level: 2 },
        ],
        sampleDirectory().person("head-support")!,
        context(l, "head-support"),
      ),
  },
  {
    name: "follow-up-confirm",
    about: "After resolution: the agent records the customer's confirmation or dispute.",
    build: (l) => followUpConfirmCard(sampleView("done"), context(l, "agent-zhou")),
  },
  {
    name: "follow-up-survey",
    about: "Satisfaction follow-up: two 1-5 scores, method, suggestion.",
    build: (l) => followUpSurveyCard(sampleView("done"), context(l, "agent-zhou")),
  },
  {
    name: "ticket-suggestions",
    about:
      "Knowledge-base suggestions on the ticket card: one sent (Solved / Did not help), one stale, Send.",
    build: (l) =>
      ticketCard(sampleView("working"), context(l, "agent-zhou", { knowledge: sampleSuggestions })),
  },
  {
    name: "kb-answer",
    about:
      "An article's answer posted into the ticket's chat with one tap: markdown as plain text, no buttons.",
    build: (l) => kbAnswerCard(sampleAnswer(), context(l)),
  },
  ...PROFILE_CASES,
];

export const PLATFORM_OUTPUTS = {
  feishu: (c: Card) => renderFeishu(c),
  teams: (c: Card) => renderTeams(c),
  "dingtalk-card": (c: Card) => renderDingTalkCard(c),
  "dingtalk-message": (c: Card) => renderDingTalkMessage(c),
  text: (c: Card) => renderPlainText(c),
} as const;

export type OutputName = keyof typeof PLATFORM_OUTPUTS;
export const OUTPUT_NAMES = Object.keys(PLATFORM_OUTPUTS) as OutputName[];
