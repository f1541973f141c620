import type { ChatPlatform } from "../../core/chat/platform.ts";
import type { Text } from "../../core/i18n/locale.ts";
import type { NotificationSink } from "../../core/ports.ts";
import type { PlatformContext } from "../platform-module.ts";

/** A button on a drawn card, in document order: a callback, a link, or a form's submit. */
export interface PlaygroundButton {
  readonly value?: Record<string, unknown>;
  readonly url?: string;
  /** Index of the form (in document order) this button submits. */
  readonly form?: number;
}

/** A form's fields in document order; a select maps its options (after any placeholder) to values. */
export interface PlaygroundForm {
  readonly fields: readonly { name: string; options?: readonly string[]; placeholder?: boolean }[];
}

export interface PlaygroundMessage {
  readonly id: string;
  readonly from: string;
  readonly fromName: string;
  readonly bot: boolean;
  readonly at: number;
  readonly replyTo?: string;
  readonly text?: string;
  /** The card as the platform's client draws it (HTML from the gallery's preview). */
  readonly html?: string;
  readonly buttons?: readonly PlaygroundButton[];
  readonly forms?: readonly PlaygroundForm[];
}

export interface PlaygroundChat {
  readonly id: string;
  readonly name: string;
  readonly kind: "group" | "direct";
}

/** One platform running locally: its emulator, the real adapter, and what the page needs to show it. */
export interface PlaygroundSession {
  readonly platform: ChatPlatform;
  people(): { id: string; name: string }[];
  chats(personId: string): PlaygroundChat[];
  messages(chatId: string): PlaygroundMessage[];
  send(chatId: string, personId: string, text: string): Promise<void>;
  click(
    messageId: string,
    personId: string,
    value: Record<string, unknown>,
    fields?: Record<string, unknown>,
  ): Promise<{ toast?: Text }>;
  stop(): Promise<void>;
}

/**
 * A platform that can join the playground (Feishu now; DingTalk and Teams register the same way). `tee`
 * also receives every notification so the sandbox inbox keeps listing them.
 */
export interface PlaygroundPlugin {
  readonly id: string;
  readonly title: Text;
  start(ctx: PlatformContext, tee?: NotificationSink): Promise<PlaygroundSession>;
}
