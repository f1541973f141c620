import type { Directory } from "../directory/directory.ts";
import type { Person } from "../directory/schema.ts";
import type { FieldCipher, SealedContact } from "../privacy/cipher.ts";
import { scanTypedText } from "../privacy/detect.ts";
import { sealContact } from "../privacy/seal.ts";
import type { CreatedEvent, EscalationReasonRecord, EventMeta, RuleHit, TicketEvent } from "./events.ts";
import { notAMember, unknownDepartment, unknownPerson } from "./refusals.ts";
import type { CreateTicketInput, Mood, Priority } from "./schema.ts";

/** What routing proposes for a new ticket; explicit input always overrides it. */
export interface CreatePlan {
  readonly problemType: string;
  readonly department: string;
  readonly priority: Priority;
  readonly mood: Mood;
  readonly owner?: string;
  readonly rules: readonly RuleHit[];
  /** Criteria that send the ticket straight to the department head. */
  readonly escalations?: readonly EscalationReasonRecord[];
  /** Facts read from the text, used where the input left them empty. */
  readonly extracted?: { readonly orderNo?: string; readonly product?: string };
}

export type CreatePlanner = (
  input: CreateTicketInput,
  directory: Directory,
) => CreatePlan | Promise<CreatePlan>;

export const plainPlanner =
  (defaultDepartment: string): CreatePlanner =>
  (input) => ({
    problemType: input.problemType ?? "other",
    department: input.department ?? defaultDepartment,
    priority: input.priority ?? "normal",
    mood: input.mood ?? "calm",
    rules: [],
  });

interface CreateContext {
  readonly actor: Person;
  readonly directory: Directory;
  readonly cipher: FieldCipher;
  readonly meta: EventMeta;
  readonly plan: CreatePlan;
}

/** Phone numbers found in any free-text field are masked there and kept sealed. */
function maskFreeText(value: string | undefined, found: string[]): string | undefined {
  if (value === undefined) return undefined;
  const scan = scanTypedText(value);
  found.push(...scan.phones);
  return scan.text;
}

/** Refuses an input whose department, owner or watchers the directory does not know. */
export function checkCreate(input: CreateTicketInput, plan: CreatePlan, dir: Directory): void {
  const department = input.department ?? plan.department;
  if (!dir.department(department)) throw unknownDepartment("department", department);
  const owner = input.owner ?? plan.owner;
  if (owner !== undefined) {
    if (!dir.person(owner)) throw unknownPerson("owner", owner);
    if (!dir.isMember(owner, department)) throw notAMember("owner", owner, department);
  }
  for (const w of input.watchers ?? []) if (!dir.person(w)) throw unknownPerson("watchers", w);
}

/** Builds the created event for a validated input, given the number the store allocated. */
export function buildCreated(number: string, input: CreateTicketInput, ctx: CreateContext): CreatedEvent {
  const { directory: dir, plan } = ctx;
  checkCreate(input, plan, dir);
  const department = input.department ?? plan.department;
  const owner = input.owner ?? plan.owner;

  const found: string[] = [];
  const description = maskFreeText(input.description, found)!;
  const c = input.customer ?? {};
  const name = maskFreeText(c.name, found);
  const organisation = maskFreeText(c.organisation, found);
  const occurredWhere = maskFreeText(input.occurredWhere, found);
  const problemTag = maskFreeText(input.problemTag, found);
  const product = maskFreeText(input.product ?? plan.extracted?.product, found);
  const explicitPhone = c.phone && c.phone.length > 0 ? c.phone : undefined;
  const primary = explicitPhone ?? found.shift();
  const phone = primary ? sealContact(ctx.cipher, primary) : undefined;
  const contacts: SealedContact[] = [];
  for (const p of found) {
    const sealed = sealContact(ctx.cipher, p);
    if (sealed.hash !== phone?.hash && !contacts.some((x) => x.hash === sealed.hash)) contacts.push(sealed);
  }

  return {
    ...ctx.meta,
    type: "created",
    number,
    description,
    customer: {
      name,
      phone,
      id: c.id,
      type: c.type ?? "new",
      organisation,
      tags: c.tags ?? [],
    },
    contacts,
    origin: {
      platform: input.origin?.platform ?? (ctx.meta.via === "system" ? "api" : ctx.meta.via),
      chatId: input.origin?.chatId,
      messageId: input.origin?.messageId,
    },
    channel: input.channel,
    problemType: input.problemType ?? plan.problemType,
    problemTag,
    priority: input.priority ?? plan.priority,
    mood: input.mood ?? plan.mood,
    department,
    owner,
    firstContact: ctx.actor.id,
    watchers: input.watchers ?? [],
    product,
    orderNo: input.orderNo ?? plan.extracted?.orderNo,
    occurredAt: input.occurredAt,
    occurredWhere,
    demand: input.demand ?? [],
    evidence: input.evidence ?? [],
    rules: plan.rules,
  };
}

/** An escalation criterion met at intake goes to the department head at once, whatever the clock says. */
export function escalationEvents(
  created: CreatedEvent,
  plan: CreatePlan,
  sla: { escalationRecipients(department: string, level: number): string[] },
  meta: EventMeta,
): TicketEvent[] {
  if (!plan.escalations?.length) return [];
  const to = sla.escalationRecipients(created.department, 1);
  if (to.length === 0) return [];
  return [
    { ...meta, actor: "system", via: "system", type: "escalated", to, level: 1, reasons: plan.escalations },
  ];
}
