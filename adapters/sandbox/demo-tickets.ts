import type { CreateTicketInput } from "../../core/ticket/schema.ts";

export interface DemoStep {
  /** Hours after the ticket was created. */
  readonly after: number;
  readonly actor: string;
  readonly command: string;
  readonly body?: Record<string, unknown>;
}

export interface DemoTicket {
  /** Hours before now the ticket was created. */
  readonly ago: number;
  readonly by: string;
  readonly input: CreateTicketInput;
  readonly steps: readonly DemoStep[];
}

// Phone numbers below are in reserved test ranges and belong to no one.
export const DEMO_TICKETS: readonly DemoTicket[] = [
  {
    ago: 1,
    by: "agent-li",
    input: {
      description: "客户反映新买的 X200 扫地机器人无法开机，充电指示灯不亮，已尝试更换插座。",
      customer: { name: "张先生", phone: "13800138001", type: "returning" },
      channel: "phone",
      problemType: "quality_complaint",
      department: "tech",
      priority: "urgent",
      product: "X200",
      orderNo: "202611180001234",
      demand: ["repair"],
    },
    steps: [],
  },
  {
    ago: 30,
    by: "agent-zhou",
    input: {
      description: "快递显示已签收但客户没有收到包裹，要求核实物流并补发。",
      customer: { name: "李女士", phone: "13900139002", type: "new" },
      channel: "online_chat",
      problemType: "logistics",
      department: "logistics",
      orderNo: "202611150009876",
      demand: ["replace"],
    },
    steps: [{ after: 2, actor: "eng-ma", command: "claim" }],
  },
  {
    ago: 50,
    by: "agent-li",
    input: {
      description: "申请退款：商品与描述不符，颜色差异较大，客户已拍照。",
      customer: { name: "王女士", phone: "13700137003", type: "vip" },
      channel: "social",
      problemType: "after_sales",
      department: "returns",
      priority: "urgent",
      mood: "anxious",
      demand: ["refund"],
      evidence: ["https://files.example.test/evidence/color-1.jpg"],
    },
    steps: [
      { after: 1, actor: "eng-wu", command: "claim" },
      { after: 2, actor: "eng-wu", command: "start" },
      {
        after: 5,
        actor: "eng-wu",
        command: "comment",
        body: { text: "已联系仓库确认批次色差，等待质检回复。" },
      },
    ],
  },
  {
    ago: 6,
    by: "agent-amy",
    input: {
      description:
        "Customer says the mobile app crashes every time they open the order history page (Android 14).",
      customer: { name: "Mr. Brown", phone: "+44 7700 900123", type: "new" },
      channel: "email",
      problemType: "quality_complaint",
      department: "tech",
      product: "Closeloop Shop app 5.2",
      demand: ["other"],
    },
    steps: [
      { after: 0.5, actor: "eng-emma", command: "claim" },
      { after: 1, actor: "eng-emma", command: "start" },
    ],
  },
  {
    ago: 80,
    by: "agent-zhou",
    input: {
      description: "客户投诉门店店员服务态度差，要求道歉。",
      customer: { name: "赵先生", phone: "13600136004", type: "returning" },
      channel: "phone",
      problemType: "service_complaint",
      department: "complaints",
      mood: "angry",
      priority: "urgent",
      demand: ["apology"],
    },
    steps: [
      { after: 1, actor: "eng-xu", command: "claim" },
      { after: 1.5, actor: "eng-xu", command: "start" },
      {
        after: 20,
        actor: "eng-xu",
        command: "resolve",
        body: { solution: "门店负责人已当面致歉，赠送 50 元代金券，客户表示接受。" },
      },
    ],
  },
  {
    ago: 120,
    by: "agent-li",
    input: {
      description: "发票抬头开错，需要重新开具增值税专用发票。",
      customer: { name: "孙女士", phone: "13500135005", type: "vip", organisation: "华东贸易有限公司" },
      channel: "email",
      problemType: "billing",
      department: "billing",
      priority: "low",
      demand: ["other"],
    },
    steps: [
      { after: 3, actor: "eng-he", command: "claim" },
      { after: 4, actor: "eng-he", command: "start" },
      {
        after: 26,
        actor: "eng-he",
        command: "resolve",
        body: { solution: "已作废原发票并重新开具，快递单号已告知客户。" },
      },
    ],
  },
  {
    ago: 3,
    by: "agent-zhou",
    input: {
      description: "客户咨询 AB-3000 Pro 空气净化器滤网多久更换一次，以及在哪里购买原装滤网。",
      customer: { name: "周先生", phone: "13300133006", type: "new" },
      channel: "online_chat",
      problemType: "product_inquiry",
      department: "support",
      priority: "low",
      product: "AB-3000 Pro",
    },
    steps: [],
  },
  {
    ago: 100,
    by: "agent-li",
    input: {
      description: "电饭煲使用两周后内胆涂层脱落，客户要求换货。",
      customer: { name: "吴女士", phone: "13200132007", type: "returning" },
      channel: "phone",
      problemType: "quality_complaint",
      department: "returns",
      demand: ["replace"],
    },
    steps: [
      { after: 2, actor: "eng-wu", command: "claim" },
      { after: 3, actor: "eng-wu", command: "start" },
      { after: 30, actor: "eng-wu", command: "resolve", body: { solution: "已安排上门取件并寄出新品。" } },
      {
        after: 60,
        actor: "agent-li",
        command: "reopen",
        body: { reason: "客户反馈新品同样有涂层起泡问题。" },
      },
    ],
  },
  {
    ago: 28,
    by: "agent-amy",
    input: {
      description: "Charged twice for the same order; customer wants the duplicate payment refunded.",
      customer: { name: "Ms. Garcia", phone: "13100131008", type: "new" },
      channel: "email",
      problemType: "billing",
      department: "billing",
      demand: ["refund"],
      orderNo: "202611200004455",
    },
    steps: [
      { after: 2, actor: "eng-he", command: "claim" },
      { after: 20, actor: "agent-li", command: "nudge" },
    ],
  },
  {
    ago: 10,
    by: "agent-li",
    input: {
      description: "客户表示如果今天不给答复就要向 12315 投诉，冰箱冷藏室不制冷已一周。",
      customer: { name: "郑先生", phone: "15800158009", type: "vip" },
      channel: "phone",
      problemType: "quality_complaint",
      department: "tech",
      priority: "urgent",
      mood: "angry",
      demand: ["repair", "compensation"],
    },
    steps: [
      { after: 0.5, actor: "head-tech", command: "assign", body: { owner: "eng-sun" } },
      { after: 1, actor: "eng-sun", command: "start" },
    ],
  },
  {
    ago: 200,
    by: "agent-zhou",
    input: {
      description: "海外仓发货延迟，客户询问预计到货时间。",
      customer: { name: "林女士", phone: "18600186010", type: "new" },
      channel: "social",
      problemType: "logistics",
      department: "logistics",
      priority: "low",
    },
    steps: [
      { after: 5, actor: "eng-ma", command: "claim" },
      {
        after: 6,
        actor: "eng-ma",
        command: "resolve",
        body: { solution: "已与海外仓确认，预计 3 个工作日内发出并告知客户。" },
      },
    ],
  },
  {
    ago: 14,
    by: "agent-li",
    input: {
      description: "耳机左耳没有声音，客户在保修期内，希望维修。联系电话 139-0013-9011。",
      customer: { name: "何先生", type: "returning" },
      channel: "on_site",
      problemType: "after_sales",
      department: "tech",
      product: "BudsAir 2",
      demand: ["repair"],
    },
    steps: [{ after: 1, actor: "eng-liu", command: "claim" }],
  },
];
