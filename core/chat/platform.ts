import type { Person } from "../directory/schema.ts";
import type { DeliveryOutcome, OutboxItem } from "../ports.ts";
import type { Placement } from "../ticket/events.ts";

/** What a platform can do, said plainly so core can fall back (a mention instead of a buzz) instead of failing. */
export interface PlatformCapabilities {
  /** An urgent channel beyond a mention (Feishu buzz, DingTalk DING). */
  readonly urgent: boolean;
  /** Cards can be updated in place after they were posted. */
  readonly updateCards: boolean;
  /** The bot can message a person one to one. */
  readonly directMessages: boolean;
}

/**
 * One chat platform behind one small interface. Adapters translate: platform event -> core command on the
 * way in; outbox row -> platform call on the way out. The id is the key used in origins, placements and
 * a person's directory entry (`feishu`, `dingtalk`, `teams`).
 */
export interface ChatPlatform {
  readonly id: string;
  readonly capabilities: PlatformCapabilities;
  /** Whether this person can be reached here (they have an identity on the platform). */
  reaches(person: Person): boolean;
  /** Notifications for one person: render, post, mention, ring; several items make one digest. */
  deliver(recipient: Person, items: readonly OutboxItem[]): Promise<DeliveryOutcome>;
  /** Re-renders the ticket's card where it was posted. */
  updatePlacement(placement: Placement, items: readonly OutboxItem[]): Promise<DeliveryOutcome>;
  /** Processes an inbound event this platform queued with `enqueue` (acknowledged first, handled here). */
  handleInbound?(item: OutboxItem): Promise<DeliveryOutcome>;
  /** Posts a message into a chat (not to a person): a knowledge-base answer sent into the ticket's chat. */
  postToChat?(items: readonly OutboxItem[]): Promise<DeliveryOutcome>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** Outbox recipients that are not people: a posted card to refresh, or an inbound event to process. */
export const placeRecipient = (p: Placement): string => `place:${p.platform}:${p.chatId}:${p.messageId}`;
/**
 * Inbound events of one `lane` (a chat, say) are processed in order; lanes go side by side. Without a lane,
 * all of the platform's events share one.
 */
export const inboundRecipient = (platform: string, lane?: string): string =>
  lane ? `inbound:${platform}:${lane}` : `inbound:${platform}`;
/** The platform an inbound recipient names. */
export const inboundPlatform = (recipient: string): string =>
  recipient.slice("inbound:".length).split(":")[0]!;
/** A chat (not a person) as an outbox recipient: its rows go out in order, one chat at a time. */
export const chatRecipient = (platform: string, chatId: string): string => `chat:${platform}:${chatId}`;
