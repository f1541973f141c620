import type { Clock } from "../../core/ports.ts";
import type { DingTalkApi } from "./api.ts";

interface DeptInfo {
  readonly parentId?: number;
  readonly managers: readonly string[];
}

/**
 * Department heads from DingTalk's org (old API): a user's departments, each department's
 * dept_manager_userid_list (the user themself excluded), climbing to the parent department when a
 * department has none. Departments and users are cached for `ttlMs`.
 */
export class DepartmentHeads {
  readonly #depts = new Map<number, { at: number; info: DeptInfo | undefined }>();
  readonly #users = new Map<string, { at: number; depts: readonly number[] }>();
  /** Org API calls made, for tests of the cache. */
  calls = 0;

  constructor(
    readonly api: DingTalkApi,
    readonly clock: Clock,
    readonly ttlMs = 3_600_000,
  ) {}

  #fresh(at: number): boolean {
    return this.clock.now().getTime() - at < this.ttlMs;
  }

  async #userDepts(userId: string): Promise<readonly number[]> {
    const hit = this.#users.get(userId);
    if (hit && this.#fresh(hit.at)) return hit.depts;
    this.calls++;
    const res = await this.api.oapi<{ result: { dept_id_list?: number[] } }>("/topapi/v2/user/get", {
      userid: userId,
    });
    const depts = res.result.dept_id_list ?? [];
    this.#users.set(userId, { at: this.clock.now().getTime(), depts });
    return depts;
  }

  async #dept(id: number): Promise<DeptInfo | undefined> {
    const hit = this.#depts.get(id);
    if (hit && this.#fresh(hit.at)) return hit.info;
    this.calls++;
    let info: DeptInfo | undefined;
    try {
      const res = await this.api.oapi<{
        result: { parent_id?: number; dept_manager_userid_list?: string[] };
      }>("/topapi/v2/department/get", { dept_id: id });
      info = { parentId: res.result.parent_id, managers: res.result.dept_manager_userid_list ?? [] };
    } catch (e) {
      if ((e as { code?: string }).code !== "60003") throw e;
      info = undefined;
    }
    this.#depts.set(id, { at: this.clock.now().getTime(), info });
    return info;
  }

  /** The heads of the user's departments (nearest level that has one), without the user. */
  async headsOf(userId: string): Promise<string[]> {
    const heads = new Set<string>();
    for (const start of await this.#userDepts(userId)) {
      const seen = new Set<number>();
      let id: number | undefined = start;
      while (id !== undefined && !seen.has(id)) {
        seen.add(id);
        const d = await this.#dept(id);
        const managers = (d?.managers ?? []).filter((m) => m !== userId);
        if (managers.length) {
          for (const m of managers) heads.add(m);
          break;
        }
        id = d?.parentId;
      }
    }
    return [...heads];
  }
}
