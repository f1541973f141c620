import { type Department, type DirectoryData, IDENTITY_PLATFORMS, type Person, type Role } from "./schema.ts";

/** The ids a person is known by on one platform: the values of the identity object under its key. */
function identityOf(person: Person, platform: string): Record<string, unknown> | undefined {
  const identity = (person as Record<string, unknown>)[platform];
  return identity && typeof identity === "object" ? (identity as Record<string, unknown>) : undefined;
}

/** People and departments, indexed. A configured entry always wins over one a platform looked up. */
export class Directory {
  readonly #people = new Map<string, Person>();
  readonly #departments = new Map<string, Department>();
  readonly #configured = new Set<string>();

  constructor(data: DirectoryData) {
    for (const d of data.departments) this.#departments.set(d.id, d);
    for (const p of data.people) {
      this.#people.set(p.id, p);
      this.#configured.add(p.id);
    }
    this.#checkReferences();
  }

  #checkReferences(): void {
    // One platform account is one person: two entries claiming it would make every match a guess.
    const claimed = new Map<string, string>();
    for (const p of this.#people.values()) {
      for (const platform of IDENTITY_PLATFORMS) {
        for (const [field, value] of Object.entries(identityOf(p, platform) ?? {})) {
          const key = `${platform}\u0000${String(value)}`;
          const other = claimed.get(key);
          if (other !== undefined && other !== p.id)
            throw new Error(
              `directory.people[${p.id}].${platform}.${field}: "${String(value)}" is already person "${other}"'s`,
            );
          claimed.set(key, p.id);
        }
      }
    }
    for (const d of this.#departments.values()) {
      if (!this.#people.has(d.head)) {
        throw new Error(`directory.departments[${d.id}].head: unknown person "${d.head}"`);
      }
      for (const m of d.members) {
        if (!this.#people.has(m))
          throw new Error(`directory.departments[${d.id}].members: unknown person "${m}"`);
      }
      if (d.parent && !this.#departments.has(d.parent)) {
        throw new Error(`directory.departments[${d.id}].parent: unknown department "${d.parent}"`);
      }
    }
    for (const p of this.#people.values()) {
      for (const dep of p.departments) {
        if (!this.#departments.has(dep)) {
          throw new Error(`directory.people[${p.id}].departments: unknown department "${dep}"`);
        }
      }
    }
  }

  person(id: string): Person | undefined {
    return this.#people.get(id);
  }

  department(id: string): Department | undefined {
    return this.#departments.get(id);
  }

  people(): Person[] {
    return [...this.#people.values()];
  }

  departments(): Department[] {
    return [...this.#departments.values()];
  }

  /** Members of a department: its listed members plus everyone whose own entry names it. */
  members(departmentId: string): Person[] {
    const dep = this.#departments.get(departmentId);
    if (!dep) return [];
    const ids = new Set(dep.members);
    for (const p of this.#people.values()) if (p.departments.includes(departmentId)) ids.add(p.id);
    return [...ids].map((i) => this.#people.get(i)).filter((p): p is Person => p !== undefined);
  }

  isMember(personId: string, departmentId: string): boolean {
    return this.members(departmentId).some((p) => p.id === personId);
  }

  isHeadOf(personId: string, departmentId: string): boolean {
    return this.#departments.get(departmentId)?.head === personId;
  }

  hasRole(personId: string, role: Role): boolean {
    return this.#people.get(personId)?.roles.includes(role) ?? false;
  }

  /** The next level above a department's head: the parent department's head, if any. */
  escalationChain(departmentId: string): string[] {
    const chain: string[] = [];
    const seen = new Set<string>();
    let dep = this.#departments.get(departmentId);
    while (dep && !seen.has(dep.id)) {
      seen.add(dep.id);
      if (!chain.includes(dep.head)) chain.push(dep.head);
      dep = dep.parent ? this.#departments.get(dep.parent) : undefined;
    }
    return chain;
  }

  /** Add a person a platform adapter looked up; never replaces a configured entry. */
  learn(person: Person): Person {
    if (this.#configured.has(person.id)) return this.#people.get(person.id)!;
    this.#people.set(person.id, person);
    return person;
  }

  /**
   * A person by an id a chat platform knows them by: a value of the identity object under the platform's
   * key (`feishu.openId`, `feishu.userId`, `dingtalk.userId`, `teams.aadObjectId`), or only `field`'s.
   */
  findByIdentity(platform: string, platformId: string, field?: string): Person | undefined {
    for (const p of this.#people.values()) {
      const identity = identityOf(p, platform);
      if (!identity) continue;
      if (field === undefined ? Object.values(identity).includes(platformId) : identity[field] === platformId)
        return p;
    }
    return undefined;
  }
}
