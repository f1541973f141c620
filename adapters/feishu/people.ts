import type { Logger } from "pino";
import type { Directory } from "../../core/directory/directory.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { FeishuApi } from "./api.ts";
import { FeishuApiError, outcomeOf } from "./errors.ts";

const DAY = 86_400_000;

/** A directory person carries an identity on another chat platform (DingTalk, Teams). */
const elsewhere = (p: Person): boolean => p.dingtalk !== undefined || p.teams !== undefined;

/**
 * Who is who between Feishu and the directory. An open_id (per app) is a configured `feishu.openId`; else
 * the contact API gives its tenant-wide user_id, which is a configured `feishu.userId` or, with
 * FEISHU_MATCH_USER_ID, a directory id (of someone whose entry names no other Feishu account). Learned
 * open_ids are cached. Department leaders likewise.
 */
export class FeishuPeople {
  readonly #dir: Directory;
  readonly #api: FeishuApi;
  readonly #logger: Logger;
  readonly #matchUserId: boolean;
  readonly #byOpenId = new Map<string, { person?: string; at: number }>();
  readonly #openIdOf = new Map<string, string>();
  /** The reverse of #openIdOf: open_id -> directory id. */
  readonly #learned = new Map<string, string>();
  readonly #leaders = new Map<string, { openId?: string; at: number }>();
  #view?: Directory;

  constructor(dir: Directory, api: FeishuApi, logger: Logger, matchUserId: boolean) {
    this.#dir = dir;
    this.#api = api;
    this.#logger = logger;
    this.#matchUserId = matchUserId;
  }

  openIdOf(person: Person): string | undefined {
    return person.feishu?.openId ?? this.#openIdOf.get(person.id);
  }

  /** The Feishu user_id to send to when no open_id is known: configured, or the directory id by convention. */
  userIdOf(person: Person): string | undefined {
    return person.feishu?.userId ?? (this.#matchUserId && !person.feishu ? person.id : undefined);
  }

  /**
   * Whether Feishu reaches the person: an open_id or user_id is configured or learned. By the
   * FEISHU_MATCH_USER_ID convention alone only people with no identity on another platform: someone the
   * directory puts on DingTalk or Teams is not claimed for Feishu on a guess (their alerts would go to a
   * Feishu user_id that may not exist, or be someone else).
   */
  reaches(person: Person): boolean {
    if (this.openIdOf(person) !== undefined || person.feishu?.userId !== undefined) return true;
    return this.#matchUserId && !elsewhere(person);
  }

  /**
   * The person behind an open_id, or undefined when neither the directory nor the contact API knows them.
   * Throws when the contact API cannot answer just now (down, throttled, unreachable): that is not "unknown"
   * and is not remembered, or one outage would shut the person out for a day.
   */
  async personOf(openId: string): Promise<Person | undefined> {
    const configured = this.#dir.findByIdentity("feishu", openId, "openId");
    if (configured) return configured;
    const learned = this.#learned.get(openId);
    if (learned) return this.#dir.person(learned);
    const cached = this.#byOpenId.get(openId);
    if (cached && Date.now() - cached.at < DAY)
      return cached.person ? this.#dir.person(cached.person) : undefined;
    let personId: string | undefined;
    try {
      const user = await this.#api.user(openId, "open_id");
      if (user?.user_id) personId = this.#byUserId(user.user_id, openId)?.id;
    } catch (err) {
      this.#logger.warn({ err, platform: "feishu" }, "contact lookup of a card operator failed");
      if (!definitelyUnknown(err)) throw err;
    }
    this.#byOpenId.set(openId, { person: personId, at: Date.now() });
    if (personId) this.#remember(personId, openId);
    return personId ? this.#dir.person(personId) : undefined;
  }

  /**
   * The directory person a Feishu user_id names: a configured `feishu.userId`; with FEISHU_MATCH_USER_ID
   * also the person whose directory id it is, unless their entry configures a different Feishu account.
   */
  #byUserId(userId: string, openId: string): Person | undefined {
    const configured = this.#dir.findByIdentity("feishu", userId, "userId");
    if (configured) return configured;
    if (!this.#matchUserId) return undefined;
    const p = this.#dir.person(userId);
    if (!p) return undefined;
    if (p.feishu && p.feishu.openId !== openId) {
      this.#logger.warn(
        { platform: "feishu", person: p.id },
        "a Feishu user_id spells a directory id whose entry names another Feishu account; not matched",
      );
      return undefined;
    }
    return p;
  }

  #remember(personId: string, openId: string): void {
    // Their first card click needs no contact lookup.
    this.#byOpenId.set(openId, { person: personId, at: Date.now() });
    if (this.#openIdOf.get(personId) === openId) return;
    this.#openIdOf.set(personId, openId);
    this.#learned.set(openId, personId);
    this.#view = undefined;
  }

  /**
   * Learns the open_id of everyone configured by `feishu.userId` (and, with FEISHU_MATCH_USER_ID, of everyone
   * else by their directory id) up front, so cards can @mention them and buzzes can reach them.
   */
  async learnAll(): Promise<number> {
    let n = 0;
    for (const p of this.#dir.people()) {
      if (this.openIdOf(p)) continue;
      const userId = this.userIdOf(p);
      if (!userId) continue;
      try {
        const user = await this.#api.user(userId, "user_id");
        if (user?.open_id) {
          this.#remember(p.id, user.open_id);
          n += 1;
        }
      } catch {
        // Not a Feishu user (or outside the availability): reached by user_id, mentioned by name.
      }
    }
    return n;
  }

  /** The directory as cards see it: every person carries the open_id learned for them, so mentions work. */
  cardDirectory(): Directory {
    if (this.#openIdOf.size === 0) return this.#dir;
    if (this.#view) return this.#view;
    const DirectoryClass = this.#dir.constructor as new (d: unknown) => Directory;
    this.#view = new DirectoryClass({
      departments: this.#dir.departments(),
      people: this.#dir.people().map((p) => {
        const openId = this.openIdOf(p);
        return openId && !p.feishu?.openId ? { ...p, feishu: { ...p.feishu, openId } } : p;
      }),
    });
    return this.#view;
  }

  /** A Feishu department's head (leader_user_id, else the main leader), cached for an hour. */
  async leaderOf(departmentId: string, fresh = false): Promise<string | undefined> {
    const cached = this.#leaders.get(departmentId);
    if (!fresh && cached && Date.now() - cached.at < 3_600_000) return cached.openId;
    try {
      const dep = await this.#api.department(departmentId);
      const openId = dep?.leader_user_id ?? dep?.leaders?.find((l) => l.leaderType === 1)?.leaderID;
      this.#leaders.set(departmentId, { openId, at: Date.now() });
      return openId;
    } catch (err) {
      this.#logger.warn(
        { err, platform: "feishu", department: departmentId },
        "department leader lookup failed",
      );
      return cached?.openId;
    }
  }
}

/** Feishu said no about this person (not found, outside the contact scope), as opposed to not answering. */
function definitelyUnknown(err: unknown): boolean {
  if (!(err instanceof FeishuApiError) || err.status < 400 || err.status >= 500) return false;
  return err.status !== 429 && outcomeOf(err).retryAfterMs === undefined;
}
