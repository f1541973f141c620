import { label, PRIORITY_LABELS, PROBLEM_TYPE_LABELS, STATUS_LABELS } from "../../core/i18n/labels.ts";
import type { TicketView } from "../../core/ticket/view.ts";
import { t } from "../i18n/index.ts";
import { cleanText, clip, oneLine } from "../text/clean.ts";
import { type CardContext, departmentName, personOf } from "./context.ts";
import { formatDuration, formatTime } from "./format.ts";
import { mention, text } from "./inline.ts";
import { slaOf } from "./sla.ts";
import type { Field, Header, Inline, Tone } from "./types.ts";

export const PRIORITY_TONE: Readonly<Record<string, Tone>> = { urgent: "red", normal: "blue", low: "grey" };
export const STATUS_TONE: Readonly<Record<string, Tone>> = {
  pending: "orange",
  in_progress: "blue",
  resolved: "green",
};

/** The one line a ticket is known by: its description, cut short. */
export const headline = (view: TicketView, max = 60): string =>
  clip(oneLine(cleanText(view.description)), max);

export function ticketHeader(view: TicketView, ctx: CardContext, title: string, tone?: Tone): Header {
  const { locale } = ctx;
  const sla = slaOf(view, ctx);
  const tags: Header["tags"][number][] = [
    { text: label(STATUS_LABELS, view.status)[locale], tone: STATUS_TONE[view.status] ?? "grey" },
    { text: label(PRIORITY_LABELS, view.priority)[locale], tone: PRIORITY_TONE[view.priority] ?? "grey" },
  ];
  if (sla.state === "overdue")
    tags.push({
      text: t(locale, "sla.overdue", {
        duration: formatDuration(sla.ms, locale),
        target: t(locale, `target.${sla.target}`),
      }),
      tone: "red",
    });
  return {
    title,
    subtitle: headline(view),
    tone: tone ?? PRIORITY_TONE[view.priority] ?? "blue",
    tags,
  };
}

export function customerField(view: TicketView, ctx: CardContext): Field {
  const name = view.customer.name?.trim() ? view.customer.name : t(ctx.locale, "customer.unknown");
  const contact = view.customer.phone ?? t(ctx.locale, "contact.none");
  return { label: t(ctx.locale, "field.customer"), value: [text(`${name} · ${contact}`)] };
}

export function problemField(view: TicketView, ctx: CardContext): Field {
  const type = label(PROBLEM_TYPE_LABELS, view.problemType)[ctx.locale];
  return {
    label: t(ctx.locale, "field.problemType"),
    value: [text(view.problemTag ? `${type} · ${view.problemTag}` : type)],
  };
}

export function ruleField(view: TicketView, ctx: CardContext): Field {
  const rules = [
    ...new Set(
      view.rules.filter((r) => r.field === "problemType" || r.field === "department").map((r) => r.rule),
    ),
  ];
  const value = rules.length
    ? rules.map((rule) => t(ctx.locale, "rule.by", { rule })).join(t(ctx.locale, "list.separator"))
    : t(ctx.locale, "rule.none");
  return { label: t(ctx.locale, "field.rule"), value: [text(value)] };
}

export const departmentField = (view: TicketView, ctx: CardContext): Field => ({
  label: t(ctx.locale, "field.department"),
  value: [text(departmentName(ctx, view.department))],
});

export function ownerField(view: TicketView, ctx: CardContext): Field {
  const value: Inline[] = view.owner ? [mention(ctx, view.owner)] : [text(t(ctx.locale, "owner.none"))];
  return { label: t(ctx.locale, "field.owner"), value };
}

export function slaText(view: TicketView, ctx: CardContext): string {
  const { locale } = ctx;
  const sla = slaOf(view, ctx);
  if (sla.state === "none") return t(locale, "sla.none");
  if (sla.state === "done") return t(locale, "sla.done");
  const params = { duration: formatDuration(sla.ms, locale), target: t(locale, `target.${sla.target}`) };
  const line = t(locale, sla.state === "overdue" ? "sla.overdue" : "sla.left", params);
  return sla.business ? `${line} · ${t(locale, "sla.business")}` : line;
}

export const slaField = (view: TicketView, ctx: CardContext): Field => ({
  label: t(ctx.locale, "field.sla"),
  value: [text(slaText(view, ctx))],
});

export function updatedField(view: TicketView, ctx: CardContext): Field {
  const who = personOf(ctx, view.updatedBy).name;
  return {
    label: t(ctx.locale, "field.updated"),
    value: [text(t(ctx.locale, "updated.by", { time: formatTime(view.updatedAt, ctx), name: who }))],
  };
}

export function optionalFields(view: TicketView, ctx: CardContext): Field[] {
  const { locale } = ctx;
  const out: Field[] = [];
  if (view.product) out.push({ label: t(locale, "field.product"), value: [text(view.product)] });
  if (view.orderNo) out.push({ label: t(locale, "field.orderNo"), value: [text(view.orderNo)] });
  if (view.demand.length) {
    const list = view.demand.map((d) => t(locale, `demand.${d}`)).join(t(locale, "list.separator"));
    out.push({ label: t(locale, "field.demand"), value: [text(list)] });
  }
  return out;
}
