/** The parts of an Adaptive Card 1.5 that closeloop produces for Teams (shared/platforms/teams.md, §5). */

export type TeamsElement = Readonly<Record<string, unknown>> & { readonly type: string };

export interface TeamsMention {
  readonly type: "mention";
  readonly text: string;
  readonly mentioned: { readonly id: string; readonly name: string };
}

export interface TeamsCard {
  readonly type: "AdaptiveCard";
  readonly $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  readonly version: "1.5";
  readonly fallbackText: string;
  readonly msteams: { readonly width: "Full"; readonly entities?: readonly TeamsMention[] };
  readonly refresh?: {
    readonly action: {
      readonly type: "Action.Execute";
      readonly verb: string;
      readonly data: Readonly<Record<string, unknown>>;
    };
    readonly userIds?: readonly string[];
  };
  readonly body: readonly TeamsElement[];
}

/** How a card goes into an activity: `attachments: [teamsAttachment(card)]`. */
export const teamsAttachment = (card: TeamsCard) =>
  ({ contentType: "application/vnd.microsoft.card.adaptive", content: card }) as const;
