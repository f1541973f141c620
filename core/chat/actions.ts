import { DomainError, isDomainError } from "../errors.ts";
import type { Text } from "../i18n/locale.ts";
import type { TicketRecord } from "../ports.ts";
import type { Caller, TicketService } from "../ticket/service.ts";

/** A card button click as every platform delivers it: the action, the ticket, the version shown, form inputs. */
export interface CardClick {
  readonly action: string;
  readonly ticket: string;
  readonly version?: number;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface ClickResult {
  readonly ok: boolean;
  readonly toast: Text;
  /** The ticket after the click (or as it is now, when refused), for re-rendering the card. */
  readonly record?: TicketRecord;
  readonly error?: DomainError;
  /** True when a create click found the ticket its message already made. */
  readonly created?: boolean;
}

/**
 * Card actions a feature answers itself rather than the ticket commands (the knowledge base's send and
 * feedback buttons). It runs as the clicking person and refuses with a DomainError, like a command.
 */
export interface ClickExtension {
  handles(action: string): boolean;
  run(caller: Caller, click: CardClick): Promise<ClickResult>;
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** A click as a command name and body for the ticket service; form inputs named as the cards name them. */
export function commandOfClick(click: CardClick): { command: string; body: Record<string, unknown> } {
  const f = click.fields ?? {};
  const version = click.version;
  switch (click.action) {
    case "resolve":
      return { command: "resolve", body: { version, solution: str(f.solution) } };
    case "reopen":
      return { command: "reopen", body: { version, reason: str(f.reason) } };
    case "assign":
      return { command: "assign", body: { version, owner: str(f.owner) } };
    case "confirm":
      return { command: "confirm", body: { version, result: "confirmed" } };
    case "dispute":
      return { command: "confirm", body: { version, result: "disputed", reason: str(f.reason) } };
    case "survey":
      return {
        command: "survey",
        body: {
          version,
          resolutionScore: num(f.resolutionScore),
          attitudeScore: num(f.attitudeScore),
          method: str(f.method),
          suggestion: str(f.suggestion),
        },
      };
    case "nudge":
      return { command: "nudge", body: {} };
    default:
      return { command: click.action, body: { version } };
  }
}

/** The new-ticket form's inputs as a create body. */
export function createBodyOfFields(
  fields: Readonly<Record<string, unknown>>,
  origin?: object,
): Record<string, unknown> {
  const name = str(fields.customerName);
  const phone = str(fields.phone);
  return {
    description: str(fields.description),
    ...(name || phone ? { customer: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
    ...(str(fields.orderNo) ? { orderNo: str(fields.orderNo) } : {}),
    ...(str(fields.priority) ? { priority: str(fields.priority) } : {}),
    ...(str(fields.department) ? { department: str(fields.department) } : {}),
    ...(origin ? { origin } : {}),
  };
}

const DONE: Record<string, Text> = {
  claim: { "zh-CN": "已认领", en: "Claimed" },
  start: { "zh-CN": "已开始处理", en: "Started" },
  resolve: { "zh-CN": "已标记解决", en: "Resolved" },
  reopen: { "zh-CN": "已重新打开", en: "Reopened" },
  assign: { "zh-CN": "已改派", en: "Reassigned" },
  nudge: { "zh-CN": "已催办负责人", en: "Owner nudged" },
  confirm: { "zh-CN": "已记录客户确认", en: "Customer confirmation recorded" },
  dispute: { "zh-CN": "已记录客户异议，工单已重新打开", en: "Dispute recorded; the ticket is reopened" },
  survey: { "zh-CN": "已记录回访结果", en: "Survey recorded" },
  create: { "zh-CN": "已创建工单", en: "Ticket created" },
  refresh: { "zh-CN": "已刷新", en: "Refreshed" },
};

const withNumber = (t: Text, number: string): Text => ({
  "zh-CN": `${t["zh-CN"]}：${number}`,
  en: `${t.en}: ${number}`,
});

/**
 * Runs a card click as the clicking person, through the same commands and permissions as every other
 * surface. Never throws for a refusal: the answer carries a toast saying why, and the ticket as it is.
 */
export async function runCardClick(
  service: TicketService,
  caller: Caller,
  click: CardClick,
  origin?: object,
  extension?: ClickExtension,
): Promise<ClickResult> {
  try {
    if (extension?.handles(click.action)) return await extension.run(caller, click);
    if (click.action === "create") {
      const { record, duplicate } = await service.createOnce(
        caller,
        createBodyOfFields(click.fields ?? {}, origin),
      );
      return { ok: true, record, created: !duplicate, toast: withNumber(DONE.create!, record.state.number) };
    }
    if (click.action === "refresh") {
      return { ok: true, record: await service.get(click.ticket), toast: DONE.refresh! };
    }
    const { command, body } = commandOfClick(click);
    const { record } = await service.execute(click.ticket, command, body, caller);
    return { ok: true, record, toast: withNumber(DONE[click.action] ?? DONE.refresh!, record.state.number) };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    const record = click.ticket ? await service.get(click.ticket).catch(() => undefined) : undefined;
    return { ok: false, toast: e.text, error: e, record };
  }
}

export { DomainError };
