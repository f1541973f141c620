import type { Directory } from "../../core/directory/directory.ts";
import type { Person } from "../../core/directory/schema.ts";

/**
 * People and DingTalk user ids: `directory.people[].dingtalk.userId`. With `matchDirectoryIds` (the
 * playground's local DingTalk, whose users are the directory's people) a user id that no one claims is
 * also tried as a directory id.
 */
export class Identities {
  constructor(
    readonly directory: Directory,
    readonly matchDirectoryIds = false,
  ) {}

  person(userId: string): Person | undefined {
    const p = this.directory.findByIdentity("dingtalk", userId);
    if (p || !this.matchDirectoryIds) return p;
    return this.directory.person(userId);
  }

  userId(person: Person): string | undefined {
    return person.dingtalk?.userId ?? (this.matchDirectoryIds ? person.id : undefined);
  }
}
