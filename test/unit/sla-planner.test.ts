import { describe, expect, it } from "vitest";
import { planNotifications } from "../../core/notify/intents.ts";
import { SlaPlanner } from "../../core/sla/planner.ts";
import { slaConfigSchema } from "../../core/sla/sla-schema.ts";
import { dueStageEvents } from "../../core/sla/sweep.ts";
import type { CreatedEvent, TicketEvent } from "../../core/ticket/events.ts";
import { evolve, fold, type TicketState } from "../../core/ticket/state.ts";
import { demoCreated, demoDirectory } from "../support/directory.ts";

const dir = demoDirectory();
// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = "2026-11-23T02:00:00.000Z";

const created = (over: Partial<CreatedEvent> = {}): CreatedEvent =>
  demoCreated({ owner: "eng-liu", ...over });

/** Applies the planner's deadlines after each change, as the ticket service does. */
function withPlan(sla: SlaPlanner, events: TicketEvent[]): { state: TicketState; events: TicketEvent[] } {
  const state = fold(events);
  const plan = sla.plan(state);
  const set: TicketEvent = {
    at: state.updatedAt,
    actor: "system",
    via: "system",
    type: "deadlines_set",
    ...plan,
  };
  return { state: evolve(state, set), events: [...events, set] };
}

const planner = (cfg: unknown = {}) => new SlaPlanner(slaConfigSchema.parse(cfg), dir);

describe("SLA deadlines on business time", () => {
  it("gives a normal ticket one working day to respond and three to resolve", () => {
    const { state } = withPlan(planner(), [created()]);
    expect(state.due.firstResponse).toBe("2026-11-24T02:00:00.000Z");
    expect(state.due.resolution).toBe("2026-11-26T02:00:00.000Z");
  });

  it("counts urgent first response in business hours across the lunch break", () => {
    const { state } = withPlan(planner(), [created({ priority: "urgent", at: "2026-11-23T03:00:00.000Z" })]);
    // 11:00 + 2 business hours = 12:00, lunch until 13:30, then one more hour: 14:30 local.
    expect(state.due.firstResponse).toBe("2026-11-23T06:30:00.000Z");
  });

  it("runs urgent tickets 24x7 when configured", () => {
    const { state } = withPlan(planner({ urgent24x7: true }), [
      created({ priority: "urgent", at: "2026-11-21T02:00:00.000Z" }),
    ]);
    expect(state.due.firstResponse).toBe("2026-11-21T04:00:00.000Z");
  });

  it("skips the National Day week and lands on the make-up Saturday", () => {
    const { state } = withPlan(planner(), [created({ at: "2026-09-30T02:00:00.000Z" })]);
    // Wed 30 Sep + 3 working days: Oct 1-7 off, Oct 8 (Thu), Oct 9 (Fri), Oct 10 (make-up Saturday).
    expect(state.due.resolution).toBe("2026-10-10T02:00:00.000Z");
  });

  it("honours a department override and re-plans when the priority changes", () => {
    const sla = planner({ departments: { tech: { policies: { normal: { resolution: "P1D" } } } } });
    const first = withPlan(sla, [created()]);
    expect(first.state.due.resolution).toBe("2026-11-24T02:00:00.000Z");
    const bumped = withPlan(sla, [
      ...first.events,
      { at: MONDAY_10, actor: "head-tech", via: "api", type: "updated", changes: { priority: "low" } },
    ]);
    expect(bumped.state.due.resolution).toBe("2026-12-02T02:00:00.000Z");
  });

  it("stops the clock while paused and adds the paused business time afterwards", () => {
    const sla = planner();
    const base = withPlan(sla, [created()]);
    const paused = withPlan(sla, [
      ...base.events,
      {
        at: "2026-11-23T03:00:00.000Z",
        actor: "eng-liu",
        via: "api",
        type: "paused",
        reason: "等待客户寄回",
      },
    ]);
    expect(paused.state.due).toEqual({});
    expect(paused.state.nextDueAt).toBeUndefined();
    const resumed = withPlan(sla, [
      ...paused.events,
      {
        at: "2026-11-24T03:00:00.000Z",
        actor: "eng-liu",
        via: "api",
        type: "resumed",
        pausedMs: 7.5 * 3_600_000,
      },
    ]);
    expect(resumed.state.due.resolution).toBe("2026-11-27T02:00:00.000Z");
  });
});

describe("SLA stages", () => {
  const sla = planner();
  const { state } = withPlan(sla, [created({ priority: "urgent" })]);

  it("schedules a warning at 80%, the breach, and escalation levels up the chain", () => {
    const fr = state.schedule.filter((s) => s.target === "firstResponse");
    expect(fr.map((s) => `${s.stage}:${s.level}`)).toEqual(["warn:0", "breach:1", "escalate:2"]);
    // 10:00 + 96 business minutes = 11:36 local.
    expect(fr[0]!.at).toBe("2026-11-23T03:36:00.000Z");
    expect(state.nextDueAt).toBe(fr[0]!.at);
  });

  it("fires each due stage once, warning the owner, alerting the head, then the head's head", () => {
    const atBreach = new Date(Date.parse(state.due.firstResponse!) + 1000);
    const events = dueStageEvents(state, atBreach, sla);
    const stages = events.filter((e) => e.type === "sla_stage");
    expect(stages.map((e) => e.type === "sla_stage" && `${e.target}:${e.stage}`)).toEqual([
      "firstResponse:warn",
      "firstResponse:breach",
    ]);
    expect(stages.map((e) => e.type === "sla_stage" && e.notified)).toEqual([["eng-liu"], ["head-tech"]]);
    const after = events.reduce(evolve, state);
    expect(dueStageEvents(after, atBreach, sla)).toEqual([]);
    const escalate = dueStageEvents(after, new Date(Date.parse(after.nextDueAt!) + 1), sla);
    const level2 = escalate.find((e) => e.type === "sla_stage");
    expect(level2).toMatchObject({ stage: "escalate", level: 2, notified: ["head-support"] });
    expect(after.escalation.level).toBe(1);

    const intents = planNotifications(state, after, events, { directory: dir, nudgeUrgent: false });
    expect(intents.map((i) => `${i.kind}->${i.recipient}`)).toEqual([
      "sla_warning->eng-liu",
      "overdue_alert->head-tech",
    ]);
  });

  it("drops the first-response stages once the owner responds", () => {
    const responded = withPlan(sla, [
      created({ priority: "urgent" }),
      { at: "2026-11-23T02:30:00.000Z", actor: "eng-liu", via: "api", type: "started" },
    ]);
    expect(responded.state.schedule.some((s) => s.target === "firstResponse")).toBe(false);
    expect(responded.state.schedule.some((s) => s.target === "update")).toBe(true);
  });
});
