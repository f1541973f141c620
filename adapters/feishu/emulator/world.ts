/** What the local Feishu knows: the app, its people, departments, chats and every message it accepted. */
export interface EmuUser {
  readonly open_id: string;
  readonly user_id: string;
  readonly union_id: string;
  readonly name: string;
  readonly department_ids: readonly string[];
  /** Outside the app's availability: messages to them fail with 230013. */
  readonly unavailable?: boolean;
}

export interface EmuDepartment {
  readonly open_department_id: string;
  readonly name: string;
  readonly leader_user_id?: string;
  readonly parent_department_id: string;
  /** Outside the app's contact scope: reads fail with 40004 / 403. */
  readonly outOfScope?: boolean;
}

export interface EmuChat {
  readonly chat_id: string;
  readonly type: "p2p" | "group";
  readonly name: string;
  readonly members: Set<string>;
  /** The bot is a member (groups); a p2p chat always has it. */
  botIn: boolean;
  allowBuzz: boolean;
}

export interface EmuMessage {
  readonly message_id: string;
  readonly chat_id: string;
  /** "bot", or the open_id of the person who wrote it. */
  readonly sender: string;
  readonly msg_type: string;
  content: string;
  readonly create_time: number;
  readonly root_id?: string;
  readonly parent_id?: string;
  readonly uuid?: string;
  /** Text after @-keys are replaced by names (user messages) or the card's JSON (bot cards). */
  readonly mentions?: readonly { key: string; id: { open_id: string }; name: string }[];
  updates: number;
  recalled: boolean;
}

export interface UrgentCall {
  readonly message_id: string;
  readonly kind: "app" | "sms" | "phone";
  readonly user_ids: readonly string[];
  readonly invalid: readonly string[];
}

/** One request the emulator answered, for tests to assert on. */
export interface RequestLog {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: number;
  readonly at: number;
}
