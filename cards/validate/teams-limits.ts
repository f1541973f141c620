import { jsonBytes, KB } from "../text/size.ts";

/** closeloop's own budget for a Teams card (shared/platforms/teams.md §5): 28 KB, refresh for at most 60. */
export const TEAMS_LIMITS = { bytes: 28 * KB, refreshUsers: 60 } as const;

export const teamsBytes = (card: unknown): number => jsonBytes(card);
