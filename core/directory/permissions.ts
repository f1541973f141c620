import type { Directory } from "./directory.ts";
import type { Person } from "./schema.ts";

interface TicketScope {
  readonly department: string;
  readonly owner?: string;
  readonly firstContact: string;
}

const isAdmin = (p: Person) => p.roles.includes("admin");

/** Engineers move tickets of their own departments; heads and the owner may too; admins anywhere. */
export function mayWork(dir: Directory, actor: Person, t: TicketScope): boolean {
  if (isAdmin(actor) || actor.id === t.owner || dir.isHeadOf(actor.id, t.department)) return true;
  const worker = actor.roles.includes("engineer") || actor.roles.includes("head");
  return worker && dir.isMember(actor.id, t.department);
}

/** Claiming needs someone who could work the ticket and is in its department (or an admin). */
export function mayClaim(dir: Directory, actor: Person, t: TicketScope): boolean {
  if (isAdmin(actor) || dir.isHeadOf(actor.id, t.department)) return true;
  const worker = actor.roles.includes("engineer") || actor.roles.includes("head");
  return worker && dir.isMember(actor.id, t.department);
}

/** A head reassigns within their own department; admins anywhere. */
export function mayAssign(dir: Directory, actor: Person, t: TicketScope): boolean {
  return isAdmin(actor) || dir.isHeadOf(actor.id, t.department);
}

/** Reopening also belongs to the first-contact agent, who hears the customer's dispute. */
export function mayReopen(dir: Directory, actor: Person, t: TicketScope): boolean {
  return mayWork(dir, actor, t) || actor.id === t.firstContact;
}

/** Only the owner, the first-contact agent and admins may see a contact in clear, and only on request. */
export function mayReveal(actor: Person, t: TicketScope): boolean {
  return isAdmin(actor) || actor.id === t.owner || actor.id === t.firstContact;
}

export const mayCreate = (actor: Person): boolean => actor.roles.length > 0;

/** Anyone in the organisation may nudge or comment. */
export const mayTalk = (actor: Person): boolean => actor.roles.length > 0;

/** The customer's single point of contact records their confirmation and the follow-up survey. */
export function mayFollowUp(dir: Directory, actor: Person, t: TicketScope): boolean {
  return isAdmin(actor) || actor.id === t.firstContact || dir.isHeadOf(actor.id, t.department);
}

/** Overriding routing, pausing and resuming: whoever works the ticket, or the agent who took it. */
export function mayAdjust(dir: Directory, actor: Person, t: TicketScope): boolean {
  return mayWork(dir, actor, t) || actor.id === t.firstContact;
}

/** Writing knowledge-base articles: knowledge editors, department heads and admins. */
export const mayEditArticles = (actor: Person): boolean =>
  actor.roles.some((r) => r === "editor" || r === "head" || r === "admin");

/** Sending an article into a ticket's chat and saying whether it helped: whoever may adjust the ticket. */
export const mayUseArticles = mayAdjust;
