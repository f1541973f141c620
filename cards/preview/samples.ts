import { DEMO_DIRECTORY } from "../../adapters/sandbox/demo-directory.ts";
import { Directory } from "../../core/directory/directory.ts";
import type { Person } from "../../core/directory/schema.ts";
import type { TicketRecord } from "../../core/ports.ts";
import { FieldCipher } from "../../core/privacy/cipher.ts";
import { sealContact, sealText } from "../../core/privacy/seal.ts";
import type { CreatedEvent, EventMeta, TicketEvent } from "../../core/ticket/events.ts";
import { fold } from "../../core/ticket/state.ts";
import { type TicketView, ticketView } from "../../core/ticket/view.ts";

/** The instant every sample is seen at: Friday 2026-11-20 14:30 in Shanghai. */
export const SAMPLE_NOW = new Date("2026-11-20T06:30:00.000Z");
export const SAMPLE_BOARD = "https://closeloop.example.test/board";
export const sampleBoardLink = (n: string) => `${SAMPLE_BOARD}/tickets/${encodeURIComponent(n)}`;

const HOUR = 3_600_000;
const at = (hoursBeforeNow: number) => new Date(SAMPLE_NOW.getTime() - hoursBeforeNow * HOUR).toISOString();

const hex = (s: string) =>
  [...s]
    .map((c) => c.charCodeAt(0).toString(16))
    .join("")
    .slice(-12)
    .padStart(12, "0");

/** The demo organisation, with made-up ids on each platform so mentions can be shown. */
export function sampleDirectory(): Directory {
  const people: Person[] = DEMO_DIRECTORY.people.map((p) => ({
    ...p,
    feishu: { openId: `ou_demo_${p.id.replace(/-/g, "_")}` },
    dingtalk: { userId: `demo_${p.id.replace(/-/g, "_")}` },
    teams: { aadObjectId: `00000000-0000-4000-8000-${hex(p.id)}` },
  }));
  return new Directory({ ...DEMO_DIRECTORY, people });
}

// A fixed key: the samples' contacts are sealed as in production, and only their masked form is shown.
const cipher = new FieldCipher(Buffer.alloc(32, 7));

interface CreateSpec {
  readonly number: string;
  readonly hoursAgo: number;
  readonly by: string;
  readonly description: string;
  readonly customer: {
    readonly name: string;
    readonly phone: string;
    readonly type: "new" | "returning" | "vip";
  };
  readonly problemType: string;
  readonly department: string;
  readonly priority: CreatedEvent["priority"];
  readonly mood?: CreatedEvent["mood"];
  readonly rules?: CreatedEvent["rules"];
  readonly extra?: Partial<Pick<CreatedEvent, "product" | "orderNo" | "demand" | "channel">>;
}

function created(s: CreateSpec): CreatedEvent {
  const desc = sealText(cipher, s.description);
  return {
    at: at(s.hoursAgo),
    actor: s.by,
    via: "feishu",
    type: "created",
    number: s.number,
    description: desc.text,
    customer: {
      name: s.customer.name,
      phone: sealContact(cipher, s.customer.phone),
      type: s.customer.type,
      tags: [],
    },
    contacts: desc.contacts,
    origin: { platform: "feishu" },
    problemType: s.problemType,
    priority: s.priority,
    mood: s.mood ?? "calm",
    department: s.department,
    firstContact: s.by,
    watchers: [],
    demand: [],
    evidence: [],
    rules: s.rules ?? [],
    ...s.extra,
  };
}

const meta = (hoursAgo: number, actor: string): EventMeta => ({ at: at(hoursAgo), actor, via: "feishu" });

function deadlines(createdHoursAgo: number, firstResponseH: number, resolutionH: number): TicketEvent {
  return {
    ...meta(createdHoursAgo, "system"),
    via: "system",
    type: "deadlines_set",
    due: {
      firstResponse: at(createdHoursAgo - firstResponseH),
      resolution: at(createdHoursAgo - resolutionH),
    },
  };
}

// Phone numbers below are in reserved test ranges and belong to no one.
const EVENTS: Readonly<Record<string, readonly TicketEvent[]>> = {
  /** Urgent, nobody has claimed it, its first-response deadline has passed. */
  unclaimed: [
    created({
      number: "CS202611200007",
      hoursAgo: 3,
      by: "agent-li",
      description:
        "客户反映新买的 X200 扫地机器人无法开机，充电指示灯不亮，已尝试更换插座。客户备用电话 13900139000。",
      customer: { name: "张先生", phone: "13800138001", type: "returning" },
      problemType: "quality_complaint",
      department: "tech",
      priority: "urgent",
      rules: [
        { rule: "故障关键词", field: "problemType", value: "quality_complaint" },
        { rule: "故障关键词", field: "department", value: "tech" },
      ],
      extra: { product: "X200", orderNo: "202611180001234", demand: ["repair"], channel: "phone" },
    }),
    deadlines(3, 2, 24),
  ],
  /** A VIP refund the owner is working on, within its deadline. */
  working: [
    created({
      number: "CS202611190012",
      hoursAgo: 20,
      by: "agent-zhou",
      description: "申请退款：商品与描述不符，颜色差异较大，客户已拍照。",
      customer: { name: "王女士", phone: "13700137003", type: "vip" },
      problemType: "after_sales",
      department: "returns",
      priority: "normal",
      mood: "anxious",
      rules: [{ rule: "退款关键词", field: "problemType", value: "after_sales" }],
      extra: { demand: ["refund"], channel: "social" },
    }),
    deadlines(20, 2, 48),
    { ...meta(19, "eng-wu"), type: "assigned", owner: "eng-wu", department: "returns", how: "claim" },
    { ...meta(18.5, "eng-wu"), type: "started" },
    { ...meta(4, "eng-wu"), type: "commented", text: "已联系仓库确认批次色差，等待质检回复。" },
  ],
  /** Assigned by the head, started, and now past its resolution deadline; nudged once. */
  late: [
    created({
      number: "CS2026110031",
      hoursAgo: 30,
      by: "agent-li",
      description: "客户表示如果今天不给答复就要向 12315 投诉，冰箱冷藏室不制冷已一周。",
      customer: { name: "郑先生", phone: "15800158009", type: "vip" },
      problemType: "quality_complaint",
      department: "tech",
      priority: "urgent",
      mood: "angry",
      rules: [{ rule: "故障关键词", field: "problemType", value: "quality_complaint" }],
      extra: { demand: ["repair", "compensation"] },
    }),
    deadlines(30, 2, 24),
    { ...meta(29.5, "head-tech"), type: "assigned", owner: "eng-sun", department: "tech", how: "assign" },
    { ...meta(29, "eng-sun"), type: "started" },
    { ...meta(1, "agent-li"), type: "nudged", target: "eng-sun" },
  ],
  /** Routed to an engineer who has not started yet: the head sees every button a ticket card can carry. */
  assigned: [
    created({
      number: "CS202611200011",
      hoursAgo: 1,
      by: "agent-li",
      description: "客户的 X200 扫地机器人回充时找不到充电座，每次都停在沙发下面。",
      customer: { name: "钱女士", phone: "13700137006", type: "new" },
      problemType: "product_inquiry",
      department: "tech",
      priority: "normal",
      extra: { product: "X200", demand: ["other"], channel: "online_chat" },
    }),
    deadlines(1, 4, 48),
    { ...meta(0.9, "system"), type: "assigned", owner: "eng-sun", department: "tech", how: "auto" },
  ],
  /** Resolved; the first-contact agent is to confirm with the customer and follow up. */
  done: [
    created({
      number: "CS202611170005",
      hoursAgo: 80,
      by: "agent-zhou",
      description: "客户投诉门店店员服务态度差，要求道歉。",
      customer: { name: "赵先生", phone: "13600136004", type: "returning" },
      problemType: "service_complaint",
      department: "complaints",
      priority: "urgent",
      mood: "angry",
      extra: { demand: ["apology"], channel: "phone" },
    }),
    deadlines(80, 2, 24),
    { ...meta(79, "eng-xu"), type: "assigned", owner: "eng-xu", department: "complaints", how: "claim" },
    { ...meta(78.5, "eng-xu"), type: "started" },
    {
      ...meta(60, "eng-xu"),
      type: "resolved",
      solution: "门店负责人已当面致歉，赠送 50 元代金券，客户表示接受。",
    },
  ],
};

export type SampleName = keyof typeof EVENTS;

export function sampleRecord(name: SampleName): TicketRecord {
  const events = EVENTS[name]!;
  return { state: fold(events), events };
}

export function sampleView(name: SampleName, directory: Directory = sampleDirectory()): TicketView {
  return ticketView(sampleRecord(name), { directory });
}

export const SAMPLE_NAMES = Object.keys(EVENTS) as SampleName[];

/**
 * A stand-in business calendar for the samples: weekdays 09:00-18:00 in Shanghai, no holidays. The real
 * one comes from core/sla; cards only need its `(from, to) => ms`.
 */
export function sampleBusinessTime(from: Date, to: Date): number {
  const OFFSET = 8 * HOUR;
  let total = 0;
  const dayStart = (ms: number) => Math.floor((ms + OFFSET) / (24 * HOUR)) * 24 * HOUR - OFFSET;
  for (let day = dayStart(from.getTime()); day < to.getTime(); day += 24 * HOUR) {
    const weekday = new Date(day + OFFSET).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const open = Math.max(day + 9 * HOUR, from.getTime());
    const close = Math.min(day + 18 * HOUR, to.getTime());
    if (close > open) total += close - open;
  }
  return total;
}
