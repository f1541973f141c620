import type { ChatPlatform, PlatformCapabilities } from "../../core/chat/platform.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { DeliveryOutcome, OutboxItem } from "../../core/ports.ts";
import type { Placement } from "../../core/ticket/events.ts";
import type { PlatformContext } from "../platform-module.ts";
import { TeamsCards } from "./cards.ts";
import { ChannelAuth } from "./channel-auth.ts";
import type { TeamsConfig } from "./config.ts";
import { ConnectorClient, DEFAULT_RETRY, type RetryPolicy } from "./connector.ts";
import { TeamsInbound } from "./inbound.ts";
import { handleExecute } from "./invoke.ts";
import { OpenIdKeys } from "./openid-keys.ts";
import { TeamsOutbound } from "./outbound.ts";
import { ConversationLimiter, realSleep, type Sleep } from "./rate-limit.ts";
import { ConversationReferences } from "./references.ts";
import { mountMessages } from "./route.ts";
import { TeamsSso, teamsSignInProvider } from "./sso.ts";
import { mountTab } from "./tab.ts";
import { BotTokenClient } from "./token-client.ts";

export interface TeamsPlatformOptions {
  /** Backoff for 412/429/502/504 (default 3 tries, 2 s -> 20 s, ±20 %). */
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: Sleep;
  readonly fetch?: typeof fetch;
}

/** Microsoft Teams: the Bot Framework protocol spoken directly (JWT in, client-credentials + REST out). */
export class TeamsPlatform implements ChatPlatform {
  readonly id = "teams";
  readonly capabilities: PlatformCapabilities = { urgent: false, updateCards: true, directMessages: true };
  readonly config: TeamsConfig;
  readonly #inbound: TeamsInbound;
  readonly #outbound: TeamsOutbound;

  constructor(ctx: PlatformContext, config: TeamsConfig, opts: TeamsPlatformOptions = {}) {
    this.config = config;
    const fetchImpl = opts.fetch ?? globalThis.fetch;
    const sleep = opts.sleep ?? realSleep;
    const connector = new ConnectorClient({
      tokens: new BotTokenClient(config, ctx.clock, fetchImpl),
      limiter: new ConversationLimiter({ sleep }),
      retry: { ...DEFAULT_RETRY, ...opts.retry },
      sleep,
      fetch: fetchImpl,
    });
    const refs = new ConversationReferences();
    const cards = new TeamsCards(ctx, config.publicUrl);
    this.#inbound = new TeamsInbound({ ctx, connector, refs, cards });
    this.#outbound = new TeamsOutbound({ ctx, config, connector, refs, cards });
    const keys = new OpenIdKeys({
      metadataUrl: config.openIdMetadataUrl,
      clock: ctx.clock,
      fetch: fetchImpl,
    });
    const inbound = this.#inbound;
    mountMessages(ctx.app, {
      auth: new ChannelAuth({ keys, appId: config.appId, clock: ctx.clock }),
      logger: ctx.logger,
      queue: (a) => inbound.queue(a),
      execute: (a) => {
        refs.remember(a);
        return handleExecute(a, { ctx, cards, inbound });
      },
    });
    mountTab(ctx.app, { directory: ctx.directory, publicUrl: config.publicUrl });
    // Board SSO in the Teams tab: the page's teams-js token, verified here, signs the person in.
    const sso = new TeamsSso({ config, directory: ctx.directory, clock: ctx.clock, fetch: fetchImpl });
    ctx.signIn?.register(teamsSignInProvider(sso, config));
  }

  reaches(person: Person): boolean {
    return Boolean(person.teams?.aadObjectId);
  }

  deliver(recipient: Person, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    return this.#outbound.deliver(recipient, items);
  }

  updatePlacement(placement: Placement, items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    return this.#outbound.updatePlacement(placement, items);
  }

  postToChat(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    return this.#outbound.postToChat(items);
  }

  handleInbound(item: OutboxItem): Promise<DeliveryOutcome> {
    return this.#inbound.handle(item);
  }
}
