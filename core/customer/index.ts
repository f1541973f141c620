import type { Clock, TicketStore } from "../ports.ts";
import type { TicketService } from "../ticket/service.ts";
import { CustomerAccess } from "./access.ts";
import { CustomerLinks } from "./links.ts";
import { LinkRecords } from "./records.ts";
import { LinkSecrets } from "./secrets.ts";

export interface CustomerLinksDeps {
  readonly store: TicketStore;
  readonly service: TicketService;
  readonly clock: Clock;
  /** The field-encryption key; the link hashes use a key derived from it. */
  readonly secret: Buffer;
}

/** Both sides of the customer links over one set of records: the agents' and the customers'. */
export function customerLinks(deps: CustomerLinksDeps): { links: CustomerLinks; access: CustomerAccess } {
  const records = new LinkRecords(deps.store, new LinkSecrets(deps.secret));
  return {
    links: new CustomerLinks(records, deps.service, deps.clock),
    access: new CustomerAccess(records, deps.service),
  };
}
