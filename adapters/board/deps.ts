import type { Logger } from "pino";
import type { Locale } from "../../core/i18n/locale.ts";
import type { Clock, TicketStore } from "../../core/ports.ts";
import type { SlaPlanner } from "../../core/sla/planner.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import type { BoardAssets } from "./assets.ts";
import type { BoardSessions } from "./session.ts";
import type { SignInRegistry } from "./sign-in.ts";

/** What the board needs from the composition root. */
export interface BoardDeps {
  readonly service: TicketService;
  readonly store: TicketStore;
  readonly clock: Clock;
  readonly sla: SlaPlanner;
  readonly sessions: BoardSessions;
  readonly signIn: SignInRegistry;
  readonly assets: BoardAssets;
  readonly logger: Logger;
  readonly sandbox: boolean;
  readonly timeZone: string;
  readonly defaultLocale: Locale;
  readonly nudgeWindowMs: number;
  /** More origins allowed to frame the board (a self-hosted Teams/Feishu/DingTalk front end, say). */
  readonly frameAncestors?: readonly string[];
}
