import { randomBytes } from "node:crypto";
import type { TicketStore } from "../../../core/ports.ts";
import { FieldCipher } from "../../../core/privacy/cipher.ts";
import { sealContact } from "../../../core/privacy/seal.ts";
import type { TicketEvent } from "../../../core/ticket/events.ts";
import { formatNumber } from "../../../core/ticket/numbering.ts";
import { demoCreated } from "../../support/directory.ts";

export const DEPARTMENTS = ["tech", "returns", "complaints", "logistics"] as const;
const OWNERS: Record<string, string> = {
  tech: "eng-liu",
  returns: "eng-wu",
  complaints: "eng-xu",
  logistics: "eng-ma",
};
const HOUR = 3_600_000;
/** Ticket i was created i hours before this (newest first = lowest i). */
export const SEED_END = Date.parse("2026-06-30T16:00:00.000Z");

export interface SeededTicket {
  readonly number: string;
  readonly phone: string;
  readonly department: string;
  readonly createdAt: string;
  readonly resolved: boolean;
  readonly surveyed: boolean;
  /** Surveyed with a low score: a remedy is open. */
  readonly remedy: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A raw mainland mobile number, distinct per i. */
export const phoneOf = (i: number) => `139${String(10_000_000 + i).slice(-8)}`;

/**
 * The events of seeded ticket i: hostile text on purpose. Every tenth description starts with a formula, and
 * every seventh carries the raw phone number in its text (the service masks free text when it stores it;
 * seeding straight into the store skips that, so the export's own masking is what keeps it out of the file).
 */
export function seedEvents(
  cipher: FieldCipher,
  i: number,
  number: string,
): { events: TicketEvent[]; t: SeededTicket } {
  const department = DEPARTMENTS[i % DEPARTMENTS.length]!;
  const owner = OWNERS[department]!;
  const created = SEED_END - i * HOUR;
  const phone = phoneOf(i);
  const formula = i % 10 === 0 ? `=HYPERLINK("http://evil.example/?${i}","click")` : "";
  const leak = i % 7 === 0 ? ` 回电 ${phone}` : "";
  const events: TicketEvent[] = [
    demoCreated({
      number,
      at: iso(created),
      description: `${formula}X200 无法开机 #${i}${leak}`,
      customer: {
        name: i % 3 === 0 ? "@张先生" : "李女士",
        phone: sealContact(cipher, phone),
        type: "new",
        tags: [],
      },
      department,
      owner,
      product: i % 5 === 0 ? "+X200" : "X200",
    }),
    {
      at: iso(created),
      actor: "system",
      via: "system",
      type: "deadlines_set",
      due: { resolution: iso(created + 24 * HOUR) },
    },
  ];
  const resolved = i % 2 === 0;
  const surveyed = resolved && i % 4 === 0;
  if (resolved) {
    events.push({ at: iso(created + HOUR), actor: owner, via: "web", type: "started" });
    events.push({
      at: iso(created + 2 * HOUR),
      actor: owner,
      via: "web",
      type: "resolved",
      solution: "-换货",
    });
    events.push({
      at: iso(created + 3 * HOUR),
      actor: "agent-li",
      via: "web",
      type: "confirmed",
      result: "confirmed",
    });
  }
  const low = surveyed && i % 8 === 0;
  if (surveyed) {
    events.push({
      at: iso(created + 4 * HOUR),
      actor: "agent-li",
      via: "web",
      type: "surveyed",
      resolutionScore: low ? 2 : 5,
      attitudeScore: 4,
      method: "phone",
      suggestion: `=1+1 建议 ${i}`,
      remedy: low,
    });
  }
  return {
    events,
    t: { number, phone, department, createdAt: iso(created), resolved, surveyed, remedy: low },
  };
}

export const testCipher = () => new FieldCipher(randomBytes(32));

/** Seeds n tickets straight into the store, many writes in flight at once (the store groups their fsyncs). */
export async function seedTickets(
  store: TicketStore,
  n: number,
  cipher = testCipher(),
): Promise<SeededTicket[]> {
  const out: SeededTicket[] = [];
  const batch = 500;
  for (let start = 0; start < n; start += batch) {
    const writes: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(n, start + batch); i++) {
      writes.push(
        store.create("202606", (seq) => {
          const { events, t } = seedEvents(cipher, i, formatNumber("CS", "202606", seq));
          out.push(t);
          return { events };
        }),
      );
    }
    await Promise.all(writes);
  }
  return out;
}
