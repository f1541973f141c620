import { describe, expect, it } from "vitest";
import { publicProgress } from "../../core/customer/progress.ts";
import type { EventMeta, TicketEvent } from "../../core/ticket/events.ts";
import { fold } from "../../core/ticket/state.ts";
import { demoCreated, demoDirectory } from "../support/directory.ts";

const dir = demoDirectory();
const T0 = Date.parse("2026-11-23T02:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const meta = (minutes: number, actor: string): EventMeta => ({ at: at(minutes), actor, via: "web" });
const record = (events: TicketEvent[]) => ({ state: fold(events), events });
const deadlines = (minutes: number, due: Record<string, string>): TicketEvent => ({
  ...meta(minutes, "system"),
  via: "system",
  type: "deadlines_set",
  due,
});

const created = demoCreated({
  customer: { name: "张先生", type: "vip", tags: ["sensitive"], organisation: "某某公司" },
  description: "张先生的 X200 无法开机",
  orderNo: "DD20261120",
});

const worked: TicketEvent[] = [
  created,
  deadlines(0, { firstResponse: at(480), resolution: at(1440) }),
  { ...meta(5, "head-tech"), type: "assigned", owner: "eng-liu", department: "tech", how: "assign" },
  { ...meta(6, "head-tech"), type: "assigned", owner: "eng-sun", department: "tech", how: "assign" },
  { ...meta(10, "eng-sun"), type: "started" },
  { ...meta(11, "eng-sun"), type: "commented", text: "内部：客户很难缠，孙磊跟进" },
  { ...meta(12, "eng-sun"), type: "nudged", target: "eng-sun" },
  deadlines(12, { update: at(1452), resolution: at(1440) }),
];

describe("the public progress of a ticket", () => {
  it("tells the steps in order, by role, once per change of role", () => {
    const p = publicProgress(record(worked), dir, new Date(at(20)));
    expect(p.steps.map((s) => [s.kind, s.role])).toEqual([
      ["received", undefined],
      ["assigned", "engineer"],
      ["started", "engineer"],
    ]);
    expect(p).toMatchObject({ number: "CS2026110001", status: "in_progress", waitingOnCustomer: false });
    expect(p.next).toEqual({ kind: "update", by: at(1452), late: false });
    expect(p.targetResolution).toEqual({ by: at(1440), late: false });
  });

  it("carries no name, contact, comment, description, order or customer detail", () => {
    const events: TicketEvent[] = [
      ...worked,
      { ...meta(30, "eng-sun"), type: "paused", reason: "等张先生寄回 13800138000" },
      { ...meta(40, "eng-sun"), type: "resumed", pausedMs: 600_000 },
      { ...meta(50, "eng-sun"), type: "resolved", solution: "孙磊更换电源板" },
      { ...meta(60, "agent-li"), type: "confirmed", result: "confirmed" },
      {
        ...meta(70, "agent-li"),
        type: "surveyed",
        resolutionScore: 1,
        attitudeScore: 2,
        method: "phone",
        suggestion: "太慢了",
        remedy: true,
      },
      { ...meta(80, "head-tech"), type: "remedied", note: "张伟回电并补偿" },
    ];
    const json = JSON.stringify(publicProgress(record(events), dir, new Date(at(90))));
    for (const p of dir.people()) {
      expect(json).not.toContain(p.name);
      expect(json).not.toContain(`"${p.id}"`);
    }
    for (const text of [
      "张先生",
      "13800138000",
      "内部",
      "难缠",
      "电源板",
      "太慢",
      "补偿",
      "DD2026",
      "vip",
      "sensitive",
      "某某",
      "无法开机",
      "tech",
    ])
      expect(json).not.toContain(text);
  });

  it("names the head of a department a supervisor and an agent an agent", () => {
    const events: TicketEvent[] = [
      demoCreated({ owner: "head-support", department: "support" }),
      { ...meta(5, "admin"), type: "assigned", owner: "agent-zhou", department: "support", how: "assign" },
      { ...meta(6, "admin"), type: "started" },
    ];
    const p = publicProgress(record(events), dir, new Date(at(10)));
    // head-support is a head and an agent: a supervisor, to the customer.
    expect(p.steps.map((s) => [s.kind, s.role])).toEqual([
      ["received", undefined],
      ["assigned", "supervisor"],
      ["assigned", "agent"],
      ["started", "team"],
    ]);
  });

  it("promises first contact while nobody responded, and says when a promise is late", () => {
    const events: TicketEvent[] = [created, deadlines(0, { firstResponse: at(60), resolution: at(600) })];
    expect(publicProgress(record(events), dir, new Date(at(30))).next).toEqual({
      kind: "contact",
      by: at(60),
      late: false,
    });
    const late = publicProgress(record(events), dir, new Date(at(61)));
    expect(late.next).toEqual({ kind: "contact", by: at(60), late: true });
    expect(late.targetResolution?.late).toBe(false);
  });

  it("promises nothing while waiting on the customer", () => {
    const events: TicketEvent[] = [
      ...worked,
      { ...meta(30, "eng-sun"), type: "paused", reason: "等客户寄回" },
      deadlines(30, {}),
    ];
    const p = publicProgress(record(events), dir, new Date(at(40)));
    expect(p.waitingOnCustomer).toBe(true);
    expect(p.next).toBeUndefined();
    expect(p.targetResolution).toBeUndefined();
    expect(p.steps.at(-1)?.kind).toBe("waiting");
  });

  it("promises the remedy call after a low score, and nothing once it is done", () => {
    const resolved: TicketEvent[] = [
      ...worked,
      { ...meta(50, "eng-sun"), type: "resolved", solution: "更换" },
      { ...meta(60, "agent-li"), type: "confirmed", result: "confirmed" },
      {
        ...meta(70, "agent-li"),
        type: "surveyed",
        resolutionScore: 2,
        attitudeScore: 5,
        method: "online_survey",
        remedy: true,
      },
      deadlines(70, { remedy: at(70 + 1440) }),
    ];
    const open = publicProgress(record(resolved), dir, new Date(at(80)));
    expect(open).toMatchObject({
      status: "resolved",
      surveyed: true,
      next: { kind: "remedy", by: at(1510) },
    });
    expect(open.targetResolution).toBeUndefined();
    expect(open.steps.slice(-3).map((s) => s.kind)).toEqual(["resolved", "confirmed", "surveyed"]);
    const done = publicProgress(
      record([...resolved, { ...meta(90, "head-tech"), type: "remedied", note: "已回电" }]),
      dir,
      new Date(at(95)),
    );
    expect(done.next).toBeUndefined();
    expect(done.steps.at(-1)?.kind).toBe("remedied");
  });

  it("shows a dispute as the reopening it causes", () => {
    const events: TicketEvent[] = [
      ...worked,
      { ...meta(50, "eng-sun"), type: "resolved", solution: "更换" },
      { ...meta(60, "agent-li"), type: "confirmed", result: "disputed", reason: "还是坏的" },
      { ...meta(60, "agent-li"), type: "reopened", reason: "还是坏的" },
    ];
    const p = publicProgress(record(events), dir, new Date(at(70)));
    expect(p.steps.slice(-2).map((s) => s.kind)).toEqual(["resolved", "reopened"]);
    expect(p.status).toBe("in_progress");
  });
});
