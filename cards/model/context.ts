import type { Directory } from "../../core/directory/directory.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { Suggestion } from "../../core/kb/views.ts";
import type { TicketView } from "../../core/ticket/view.ts";

/** Business milliseconds between two instants (the SLA calendar's); absent: plain elapsed time. */
export type BusinessTime = (from: Date, to: Date) => number;

/** Everything a card depends on besides the ticket. Same inputs, same card: nothing here reads a clock. */
export interface CardContext {
  readonly directory: Directory;
  readonly locale: Locale;
  readonly now: Date;
  /**
   * The person the card is rendered for. Absent for a card posted where several people see it: it then
   * shows every button the ticket's status allows, and the server checks the clicker's rights.
   */
  readonly viewer?: Person;
  /** The board's page for a ticket; without it there is no "Open on board" button. */
  readonly boardLink?: (ticketNumber: string) => string;
  readonly businessTime?: BusinessTime;
  /** IANA zone for times shown on the card; default Asia/Shanghai. */
  readonly timeZone?: string;
  /** Knowledge-base articles suggested for a ticket; absent: the ticket card has no suggestions section. */
  readonly knowledge?: (view: TicketView) => readonly Suggestion[];
}

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** A person by id; someone the directory does not know still shows, by id, and cannot be mentioned. */
export function personOf(ctx: CardContext, id: string): Person {
  return ctx.directory.person(id) ?? { id, name: id, roles: [], departments: [] };
}

export function departmentName(ctx: CardContext, id: string): string {
  return ctx.directory.department(id)?.name ?? id;
}
