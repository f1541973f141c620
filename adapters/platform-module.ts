import type { Hono } from "hono";
import type { Logger } from "pino";
import type { CardContext } from "../cards/model/context.ts";
import type { ClickExtension } from "../core/chat/actions.ts";
import type { ChatPlatform } from "../core/chat/platform.ts";
import type { Config } from "../core/config/schema.ts";
import type { Directory } from "../core/directory/directory.ts";
import type { Clock, TicketStore } from "../core/ports.ts";
import type { SlaPlanner } from "../core/sla/planner.ts";
import type { TicketService } from "../core/ticket/service.ts";
import type { SignInProvider } from "./board/sign-in.ts";
import type { HttpEnv } from "./http/env.ts";

/** Everything a platform adapter may use; it talks to core only through the service and the store. */
export interface PlatformContext {
  readonly service: TicketService;
  readonly store: TicketStore;
  readonly directory: Directory;
  readonly sla: SlaPlanner;
  readonly config: Config;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The hono app: adapters mount their webhook routes here (outside /api, which needs board auth). */
  readonly app: Hono<HttpEnv>;
  /** Where people reach the server (for board links); undefined until known. */
  readonly publicUrl?: string;
  /** The board's sign-in providers: a platform registers how its host's login code or SSO token maps to a person. */
  readonly signIn?: { register(provider: SignInProvider): () => void };
  /** Knowledge-base suggestions for ticket cards; absent: cards have no suggestions section. */
  readonly knowledge?: CardContext["knowledge"];
  /** Card actions answered outside the ticket commands (the knowledge base's send and feedback). */
  readonly clickExtension?: ClickExtension;
}

/** A platform adapter as the composition root sees it: enabled by its credentials, then created. */
export interface PlatformModule {
  readonly id: string;
  /** Its credentials are in the environment. */
  enabled(env: NodeJS.ProcessEnv): boolean;
  create(ctx: PlatformContext): Promise<ChatPlatform>;
  /** Lines for `closeloop doctor`: what is configured, what is missing and how to fix it. */
  doctor?(env: NodeJS.ProcessEnv): Promise<readonly DoctorCheck[]>;
}

export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}
