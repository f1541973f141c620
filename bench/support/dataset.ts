import type { NewTicket } from "../../core/ports.ts";
import type { CreatedEvent, TicketEvent } from "../../core/ticket/events.ts";
import { formatNumber } from "../../core/ticket/numbering.ts";
import type { Status } from "../../core/ticket/schema.ts";
import type { TicketState } from "../../core/ticket/state.ts";
import { seededRandom } from "../../test/support/random.ts";

export const PERIOD = "202506";
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2025-06-30T12:00:00.000Z");
const PEOPLE = ["alice", "bob", "carol", "dave", "erin", "frank"];
const DEPARTMENTS = ["support", "sales", "logistics", "billing"];

/** A deterministic pseudo-random source, so every run and both stores get the same tickets. */
export const random = seededRandom;

const iso = (ms: number) => new Date(ms).toISOString();

function created(number: string, at: string, rand: () => number): CreatedEvent {
  const person = PEOPLE[Math.floor(rand() * PEOPLE.length)]!;
  const hash = Math.floor(rand() * 1e12).toString(36);
  return {
    at,
    actor: person,
    via: "feishu",
    type: "created",
    number,
    description:
      "Customer reports the parcel arrived with a cracked screen; photos attached, asks for a replacement " +
      `before the weekend. Order placed through the mini program, ref ${hash}.`,
    customer: {
      name: "Zhang Wei",
      phone: { cipher: `v1.${hash}.${hash}.${hash}${hash}`, masked: "138****5678", hash: `h${hash}` },
      type: rand() < 0.2 ? "vip" : "returning",
      tags: ["mini-program"],
    },
    contacts: [],
    origin: { platform: "feishu", chatId: "oc_5f2c1a9e", messageId: `om_${hash}` },
    channel: "online_chat",
    problemType: "quality_complaint",
    priority: rand() < 0.1 ? "urgent" : "normal",
    mood: "anxious",
    department: DEPARTMENTS[Math.floor(rand() * DEPARTMENTS.length)]!,
    owner: person,
    firstContact: person,
    watchers: [],
    product: "X2 phone",
    orderNo: `SO${hash}`,
    demand: ["replace"],
    evidence: [`https://files.example.com/${hash}.jpg`],
    rules: [{ rule: "quality-to-support", field: "problemType", value: "quality_complaint" }],
  };
}

/**
 * Ticket `i` of a data set: created some time in the last year; when `resolved`, started and resolved within
 * days, so it can be archived by its resolution month.
 */
export function buildTicket(i: number, resolved: boolean): (seq: number) => NewTicket {
  return (seq) => {
    const rand = random(i + 1);
    const number = formatNumber("T", PERIOD, seq);
    const createdAt = NOW - Math.floor(rand() * 360 * DAY) - DAY * 3;
    const first = created(number, iso(createdAt), rand);
    const due: TicketEvent = {
      at: iso(createdAt),
      actor: "system",
      via: "system",
      type: "deadlines_set",
      due: { firstResponse: iso(createdAt + 2 * 3600_000), resolution: iso(createdAt + 2 * DAY) },
    };
    const events: TicketEvent[] = [first, due];
    if (resolved) {
      const by = first.owner!;
      events.push({ at: iso(createdAt + 3600_000), actor: by, via: "feishu", type: "started" });
      events.push({
        at: iso(createdAt + DAY),
        actor: by,
        via: "feishu",
        type: "resolved",
        solution: "Replacement shipped, customer confirmed",
      });
    }
    return { events };
  };
}

/** The status change a person would make next: start, resolve, or reopen. */
export function nextStatusEvent(state: TicketState, at: string): TicketEvent {
  const actor = state.owner ?? "alice";
  const next: Record<Status, TicketEvent> = {
    pending: { at, actor, via: "feishu", type: "started" },
    in_progress: { at, actor, via: "feishu", type: "resolved", solution: "Fixed on the phone" },
    resolved: { at, actor, via: "feishu", type: "reopened", reason: "Customer called back" },
  };
  return next[state.status];
}
