import { createHash } from "node:crypto";
import { Client, DefaultCache, LoggerLevel } from "@larksuiteoapi/node-sdk";
import type { Logger } from "pino";
import { AppPacer } from "../app-pacer.ts";
import type { FeishuSettings } from "./config.ts";
import { CONFIG_CODES, FeishuApiError } from "./errors.ts";

/** Feishu's limit on sending messages, per app (shared/platforms/feishu.md). */
export const APP_SENDS_PER_SECOND = 50;

export interface SentMessage {
  readonly message_id: string;
  readonly chat_id: string;
}

export interface FeishuUser {
  readonly open_id: string;
  readonly user_id?: string;
  readonly name?: string;
  readonly department_ids?: readonly string[];
}

export interface FeishuDepartment {
  readonly open_department_id?: string;
  readonly name?: string;
  readonly leader_user_id?: string;
  readonly leaders?: readonly { leaderType: number; leaderID: string }[];
}

/** The SDK's own logging goes to ours at debug: its failures surface as our errors, with context. */
export function sdkLogger(logger: Logger) {
  const at = (...msg: unknown[]) =>
    logger.debug({ platform: "feishu", sdk: msg.map(String).join(" ").slice(0, 500) }, "sdk");
  return { error: at, warn: at, info: at, debug: at, trace: at };
}

type Answer = { code?: number; msg?: string; data?: unknown };

/** uuid is at most 50 characters; an outbox key can be longer, so it is hashed (same key, same uuid). */
export const uuidOf = (key: string): string => createHash("sha256").update(key).digest("hex").slice(0, 40);

/**
 * The Open API calls closeloop makes, through the official SDK. Every failure becomes a FeishuApiError
 * (the SDK throws on non-2xx and resolves on HTTP 200 with a non-zero code; both are checked).
 */
export class FeishuApi {
  readonly client: Client;
  readonly #logger: Logger;
  readonly #reported = new Set<number>();
  /** Sends and replies wait here rather than run into the app-wide 429. */
  readonly #sends = new AppPacer(APP_SENDS_PER_SECOND);

  readonly #onProblem?: (p: { code: number; call: string; fix: string }) => void;

  constructor(
    settings: FeishuSettings,
    logger: Logger,
    onProblem?: (p: { code: number; call: string; fix: string }) => void,
  ) {
    this.#logger = logger;
    this.#onProblem = onProblem;
    this.client = new Client({
      appId: settings.appId,
      appSecret: settings.appSecret,
      domain: settings.domain,
      cache: new DefaultCache(),
      loggerLevel: LoggerLevel.error,
      logger: sdkLogger(logger),
    });
  }

  /** Runs a call and normalises its failure; a configuration error is logged once with its fix. */
  async #call<T>(what: string, run: () => Promise<Answer | undefined>): Promise<T> {
    let answer: Answer | undefined;
    try {
      answer = await run();
    } catch (e) {
      const err = e as { response?: { status?: number; data?: Answer; headers?: Record<string, string> } };
      const status = err.response?.status ?? 0;
      const body = err.response?.data;
      const reset = Number(err.response?.headers?.["x-ogw-ratelimit-reset"]);
      throw this.#report(
        what,
        new FeishuApiError(
          status,
          body?.code ?? status,
          body?.msg ?? (e as Error).message,
          Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined,
        ),
      );
    }
    if (!answer || (answer.code !== undefined && answer.code !== 0))
      throw this.#report(what, new FeishuApiError(200, answer?.code ?? -1, answer?.msg ?? "empty answer"));
    return answer.data as T;
  }

  #report(what: string, e: FeishuApiError): FeishuApiError {
    const fix = CONFIG_CODES[e.code];
    if (fix && !this.#reported.has(e.code)) {
      this.#reported.add(e.code);
      this.#logger.error(
        { platform: "feishu", code: e.code, call: what, fix },
        `Feishu configuration problem: ${fix}`,
      );
      this.#onProblem?.({ code: e.code, call: what, fix });
    }
    return e;
  }

  /** Configuration problems seen since start, with their fixes (for logs and diagnostics). */
  configProblems(): { code: number; fix: string }[] {
    return [...this.#reported].map((code) => ({ code, fix: CONFIG_CODES[code]! }));
  }

  async send(
    receiveIdType: "open_id" | "user_id" | "chat_id",
    receiveId: string,
    card: unknown,
    key: string,
  ) {
    await this.#sends.acquire();
    return this.#call<SentMessage>("im.message.create", () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: receiveIdType },
        data: {
          receive_id: receiveId,
          msg_type: "interactive",
          content: JSON.stringify(card),
          uuid: uuidOf(key),
        },
      }),
    );
  }

  async reply(messageId: string, msgType: "interactive" | "text", content: unknown, key: string) {
    await this.#sends.acquire();
    return this.#call<SentMessage>("im.message.reply", () =>
      this.client.im.v1.message.reply({
        path: { message_id: messageId },
        data: { msg_type: msgType, content: JSON.stringify(content), uuid: uuidOf(key) },
      }),
    );
  }

  patchCard(messageId: string, card: unknown) {
    return this.#call<unknown>("im.message.patch", () =>
      this.client.im.v1.message.patch({
        path: { message_id: messageId },
        data: { content: JSON.stringify(card) },
      }),
    );
  }

  urgent(kind: "app" | "sms" | "phone", messageId: string, openIds: readonly string[]) {
    const payload = {
      path: { message_id: messageId },
      params: { user_id_type: "open_id" as const },
      data: { user_id_list: [...openIds] },
    };
    const m = this.client.im.v1.message;
    return this.#call<{ invalid_user_id_list?: string[] }>(`im.message.urgent_${kind}`, () =>
      kind === "sms"
        ? m.urgentSms(payload)
        : kind === "phone"
          ? m.urgentPhone(payload)
          : m.urgentApp(payload),
    );
  }

  /** The delayed card update after a callback answered in time without the card (token valid 30 min). */
  delayedUpdate(token: string, card: unknown) {
    return this.#call<unknown>("interactive.card.update", () =>
      this.client.request({
        method: "POST",
        url: "/open-apis/interactive/v1/card/update",
        data: { token, card },
      }),
    );
  }

  async user(id: string, idType: "open_id" | "user_id"): Promise<FeishuUser | undefined> {
    const data = await this.#call<{ user?: FeishuUser }>("contact.user.get", () =>
      this.client.contact.v3.user.get({ path: { user_id: id }, params: { user_id_type: idType } }),
    );
    return data.user;
  }

  async department(id: string): Promise<FeishuDepartment | undefined> {
    const data = await this.#call<{ department?: FeishuDepartment }>("contact.department.get", () =>
      this.client.contact.v3.department.get({
        path: { department_id: id },
        params: { user_id_type: "open_id", department_id_type: "open_department_id" },
      }),
    );
    return data.department;
  }

  /** The bot's own open_id: how a group message that mentions the bot is recognised. */
  async botInfo(): Promise<{ open_id: string; app_name?: string }> {
    let answer: { code?: number; msg?: string; bot?: { open_id: string; app_name?: string } };
    try {
      answer = await this.client.request({ method: "GET", url: "/open-apis/bot/v3/info" });
    } catch (e) {
      const err = e as { response?: { status?: number; data?: Answer } };
      throw this.#report(
        "bot.info",
        new FeishuApiError(err.response?.status ?? 0, err.response?.data?.code ?? 0, (e as Error).message),
      );
    }
    if (!answer.bot || (answer.code ?? 0) !== 0)
      throw this.#report("bot.info", new FeishuApiError(200, answer.code ?? -1, answer.msg ?? "no bot"));
    return answer.bot;
  }
}
