import type { TicketRecord } from "../ports.ts";
import type { CustomerHistory } from "./customer-history.ts";
import type { CreateTicketInput } from "./schema.ts";

/** What ticket creation asks of customer profiles (core/customer implements it). */
export interface CustomerHook {
  /**
   * Before routing: the input completed from the customer's profile (type, tags, name) so the rules see
   * them, and the history to keep on the ticket. Reads only; never throws for a missing profile.
   */
  prepare(
    input: CreateTicketInput,
  ): Promise<{ readonly input: CreateTicketInput; readonly history?: CustomerHistory }>;
  /** After the ticket is stored: its customer's profile is created or updated. Never throws. */
  recorded(record: TicketRecord): Promise<void>;
}
