import type { Person, Role } from "../directory/schema.ts";

const has = (p: Person, ...roles: Role[]) => roles.some((r) => p.roles.includes(r));

/** Anyone who works tickets may read a profile (contacts stay masked). */
export const mayReadProfile = (actor: Person): boolean => has(actor, "agent", "engineer", "head", "admin");

/** The agents who talk to customers, heads and admins keep profiles; engineers only read them. */
export const mayEditProfile = (actor: Person): boolean => has(actor, "agent", "head", "admin");

/** Making a customer VIP or high-value moves their tickets up the queue: heads and admins only. */
export const mayGrantPriority = (actor: Person): boolean => has(actor, "head", "admin");
