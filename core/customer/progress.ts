import type { Directory } from "../directory/directory.ts";
import type { TicketRecord } from "../ports.ts";
import type { TicketEvent } from "../ticket/events.ts";
import type { Status } from "../ticket/schema.ts";

/** Who did a step, as a customer may learn it: a role, never a name. */
export type PublicRole = "agent" | "engineer" | "supervisor" | "team";

export type PublicStepKind =
  | "received"
  | "assigned"
  | "started"
  | "waiting"
  | "resumed"
  | "resolved"
  | "reopened"
  | "confirmed"
  | "surveyed"
  | "remedied";

export interface PublicStep {
  readonly kind: PublicStepKind;
  readonly at: string;
  readonly role?: PublicRole;
}

/** The next promise the team made: contact by, progress update by, or the remedy call by. */
export interface PublicPromise {
  readonly kind: "contact" | "update" | "remedy";
  readonly by: string;
  readonly late: boolean;
}

/**
 * What the public status page shows. Built from a whitelist: no names, no contact data, no comments, no
 * free text staff wrote (solutions and reasons may name people or internal matters).
 */
export interface PublicProgress {
  readonly number: string;
  readonly status: Status;
  readonly waitingOnCustomer: boolean;
  readonly steps: readonly PublicStep[];
  readonly next?: PublicPromise;
  readonly targetResolution?: { readonly by: string; readonly late: boolean };
  readonly surveyed: boolean;
}

function roleOf(directory: Directory, id: string | undefined): PublicRole {
  const roles = (id && directory.person(id)?.roles) || [];
  if (roles.includes("engineer")) return "engineer";
  if (roles.includes("head")) return "supervisor";
  if (roles.includes("agent")) return "agent";
  return "team";
}

function stepOf(e: TicketEvent, directory: Directory): PublicStep | undefined {
  switch (e.type) {
    case "created":
      return { kind: "received", at: e.at };
    case "assigned":
      return { kind: "assigned", at: e.at, role: roleOf(directory, e.owner) };
    case "started":
      return { kind: "started", at: e.at, role: roleOf(directory, e.actor) };
    case "paused":
      return { kind: "waiting", at: e.at };
    case "resumed":
      return { kind: "resumed", at: e.at };
    case "resolved":
      return { kind: "resolved", at: e.at };
    case "reopened":
      return { kind: "reopened", at: e.at };
    case "confirmed":
      // A dispute is followed by its reopening, which says it better.
      return e.result === "confirmed" ? { kind: "confirmed", at: e.at } : undefined;
    case "surveyed":
      return { kind: "surveyed", at: e.at };
    case "remedied":
      return { kind: "remedied", at: e.at };
    default:
      return undefined;
  }
}

function stepsOf(record: TicketRecord, directory: Directory): PublicStep[] {
  const created = record.events[0];
  const steps: PublicStep[] = [];
  for (const e of record.events) {
    const step = stepOf(e, directory);
    if (!step) continue;
    const last = steps.at(-1);
    // Handing the ticket between two people of the same role tells the customer nothing new.
    if (last && last.kind === step.kind && last.role === step.role && step.kind === "assigned") continue;
    steps.push(step);
    if (e === created && created.type === "created" && created.owner) {
      steps.push({ kind: "assigned", at: e.at, role: roleOf(directory, created.owner) });
    }
  }
  return steps;
}

function nextPromise(record: TicketRecord, now: Date): PublicPromise | undefined {
  const t = record.state;
  const promise = (kind: PublicPromise["kind"], by: string | undefined) =>
    by ? { kind, by, late: Date.parse(by) < now.getTime() } : undefined;
  if (t.paused) return undefined;
  if (t.status === "resolved")
    return t.remedy && !t.remedy.doneAt ? promise("remedy", t.due.remedy) : undefined;
  if (t.due.firstResponse && !t.firstResponseAt) return promise("contact", t.due.firstResponse);
  return promise("update", t.due.update);
}

export function publicProgress(record: TicketRecord, directory: Directory, now: Date): PublicProgress {
  const t = record.state;
  const resolution = t.status !== "resolved" && !t.paused ? t.due.resolution : undefined;
  return {
    number: t.number,
    status: t.status,
    waitingOnCustomer: t.paused !== undefined,
    steps: stepsOf(record, directory),
    next: nextPromise(record, now),
    targetResolution: resolution
      ? { by: resolution, late: Date.parse(resolution) < now.getTime() }
      : undefined,
    surveyed: t.survey !== undefined,
  };
}
