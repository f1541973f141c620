import type { Logger } from "pino";
import type { Directory } from "../../core/directory/directory.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { FeishuApi } from "./api.ts";
import { FeishuApiError, outcomeOf } from "./errors.ts";

const DAY = 86_400_000;

/**
 * Who is who between Feishu and the directory: an open_id is a configured `feishu.openId`, else looked up
 * through the contact API (its user_id names a directory person) and cached. Department leaders likewise.
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

  reaches(person: Person): boolean {
    return this.openIdOf(person) !== undefined || this.#matchUserId;
  }

  /**
   * The person behind an open_id, or undefined when neither the directory nor the contact API knows them.
   * Throws when the contact API cannot answer just now (down, throttled, unreachable): that is not "unknown"
   * and is not remembered, or one outage would shut the person out for a day.
   */
  async personOf(openId: string): Promise<Person | undefined> {
    const configured = this.#dir.findByIdentity("feishu", openId);
    if (configured) return configured;
    const learned = this.#learned.get(openId);
    if (learned) return this.#dir.person(learned);
    const cached = this.#byOpenId.get(openId);
    if (cached && Date.now() - cached.at < DAY)
      return cached.person ? this.#dir.person(cached.person) : undefined;
    let personId: string | undefined;
    try {
      const user = await this.#api.user(openId, "open_id");
      if (user?.user_id && this.#dir.person(user.user_id)) personId = user.user_id;
    } catch (err) {
      this.#logger.warn({ err, platform: "feishu" }, "contact lookup of a card operator failed");
      if (!definitelyUnknown(err)) throw err;
    }
    this.#byOpenId.set(openId, { person: personId, at: Date.now() });
    if (personId) this.#remember(personId, openId);
    return personId ? this.#dir.person(personId) : undefined;
  }

  #remember(personId: string, openId: string): void {
    if (this.#openIdOf.get(personId) === openId) return;
    this.#openIdOf.set(personId, openId);
    this.#learned.set(openId, personId);
    this.#view = undefined;
  }

  /** With FEISHU_MATCH_USER_ID: learns everyone's open_id up front, so cards can @mention them. */
  async learnAll(): Promise<number> {
    if (!this.#matchUserId) return 0;
    let n = 0;
    for (const p of this.#dir.people()) {
      if (p.feishu?.openId || this.#openIdOf.has(p.id)) continue;
      try {
        const user = await this.#api.user(p.id, "user_id");
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
        return openId && !p.feishu ? { ...p, feishu: { openId } } : p;
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
