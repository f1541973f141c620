import type { Directory } from "../directory/directory.ts";
import type { Person } from "../directory/schema.ts";

/** A department's review is for its head, the heads above it, and admins. */
export const mayReadReview = (dir: Directory, actor: Person, department: string): boolean =>
  actor.roles.includes("admin") || dir.escalationChain(department).includes(actor.id);

/** The departments whose reviews a person may read. */
export const reviewableDepartments = (dir: Directory, actor: Person): string[] =>
  dir
    .departments()
    .filter((d) => mayReadReview(dir, actor, d.id))
    .map((d) => d.id);
