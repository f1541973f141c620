import type { Locale, Text } from "../../core/i18n/locale.ts";
import { tagLabel } from "../../core/profiles/tags.ts";
import type { TicketView } from "../../core/ticket/view.ts";
import type { CardContext } from "./context.ts";
import { text } from "./inline.ts";
import type { Field } from "./types.ts";

type History = NonNullable<TicketView["customer"]["history"]>;

const TYPE: Readonly<Record<string, Text>> = {
  new: { "zh-CN": "新客户", en: "New customer" },
  returning: { "zh-CN": "老客户", en: "Returning customer" },
  vip: { "zh-CN": "VIP 客户", en: "VIP customer" },
};

const LABEL: Text = { "zh-CN": "客户画像", en: "Customer history" };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The history's parts, each locale written as its speakers would. */
const PARTS: Readonly<Record<Locale, (h: History) => string[]>> = {
  "zh-CN": (h) => {
    if (h.tickets === 0) return ["首次来访"];
    const detail = [h.open ? `未结 ${h.open}` : "", h.complaints ? `投诉 ${h.complaints}` : ""].filter(
      Boolean,
    );
    const out = [`历史工单 ${h.tickets} 张${detail.length ? `（${detail.join(" · ")}）` : ""}`];
    if (h.averageScore !== undefined)
      out.push(
        `满意度 ${h.averageScore}/5（回访 ${h.surveys} 次${h.lowScores ? `，低分 ${h.lowScores}` : ""}）`,
      );
    return out;
  },
  en: (h) => {
    if (h.tickets === 0) return ["first contact"];
    const detail = [
      h.open ? `${h.open} open` : "",
      h.complaints ? plural(h.complaints, "complaint") : "",
    ].filter(Boolean);
    const out = [`${plural(h.tickets, "earlier ticket")}${detail.length ? ` (${detail.join(" · ")})` : ""}`];
    if (h.averageScore !== undefined)
      out.push(
        `satisfaction ${h.averageScore}/5 (${plural(h.surveys, "survey")}${h.lowScores ? `, ${h.lowScores} low` : ""})`,
      );
    return out;
  },
};

/** The customer's history in one line, when the ticket was matched to a profile at intake. */
export function customerHistoryFields(view: TicketView, ctx: CardContext): Field[] {
  const h = view.customer.history;
  if (!h) return [];
  const { locale } = ctx;
  const parts = [(TYPE[view.customer.type] ?? TYPE.new!)[locale], ...PARTS[locale](h)];
  if (view.customer.tags.length)
    parts.push(view.customer.tags.map((t) => tagLabel(t)[locale]).join(locale === "zh-CN" ? "、" : ", "));
  return [{ label: LABEL[locale], value: [text(parts.join(" · "))] }];
}
