import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readEnvironment } from "../../adapters/config/environment.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import { configSchema } from "../../core/config/schema.ts";
import type { TicketRecord } from "../../core/ports.ts";
import { buildCloseloop, type Closeloop } from "../../main.ts";
import { FakeSink } from "../support/fake-sink.ts";
import { ManualClock } from "../support/manual-clock.ts";

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10 = "2026-11-23T02:00:00.000Z";
const HOUR = 3_600_000;
const dirs: string[] = [];
const open: Closeloop[] = [];

afterEach(async () => {
  for (const cl of open.splice(0)) await cl.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function boot(clock: ManualClock, sink: FakeSink, dataDir?: string, config: object = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "closeloop-sla-"));
  if (!dataDir) dirs.push(dir);
  const cl = await buildCloseloop({
    config: configSchema.parse(config),
    env: readEnvironment({ CLOSELOOP_DATA_DIR: dir }),
    logger: createLogger({ destination: { write: () => undefined } }),
    clock,
    sink,
  });
  open.push(cl);
  return { cl, dir };
}

async function outbox(cl: Closeloop) {
  return cl.store.dueOutbox("9999-01-01T00:00:00.000Z", 1000);
}

describe("SLA stages end to end", () => {
  it("warns the owner, alerts the head, escalates, and fires each stage once across a restart", async () => {
    const clock = new ManualClock(MONDAY_10);
    const sink = new FakeSink(clock);
    let { cl, dir } = await boot(clock, sink);
    const created = await cl.service.create(
      { actor: "agent-li", via: "api" },
      { description: "设备无法开机，急需处理", department: "tech", owner: "eng-liu", priority: "urgent" },
    );
    const number = created.state.number;
    const warnAt = created.state.schedule.find((s) => s.stage === "warn" && s.target === "firstResponse")!.at;
    expect(await cl.store.nextDueAt()).toBe(warnAt);

    clock.set(Date.parse(warnAt) + 1000);
    expect(await cl.scheduler.sweep()).toBe(1);
    expect(await cl.scheduler.sweep()).toBe(0);

    // Restart: the fired stage is on the ticket, so it never fires again.
    await cl.close();
    open.pop();
    ({ cl } = await boot(clock, sink, dir));
    expect(await cl.scheduler.sweep()).toBe(0);

    const breach = (await cl.service.get(number)).state.due.firstResponse!;
    clock.set(Date.parse(breach) + 60_000);
    expect(await cl.scheduler.sweep()).toBe(1);
    await cl.dispatcher.runOnce();

    let t: TicketRecord = await cl.service.get(number);
    const stages = t.events.filter((e) => e.type === "sla_stage");
    expect(stages.map((e) => e.type === "sla_stage" && `${e.target}:${e.stage}:${e.notified}`)).toEqual([
      "firstResponse:warn:eng-liu",
      "firstResponse:breach:head-tech",
    ]);
    expect(t.state.escalation.level).toBe(1);
    expect(sink.successes().map((c) => `${c.recipient}:${c.kinds}`)).toEqual(
      expect.arrayContaining(["eng-liu:sla_warning", "head-tech:overdue_alert"]),
    );

    // Still overdue after the target again: the head's own head.
    clock.set(Date.parse((await cl.store.nextDueAt())!) + 1000);
    await cl.scheduler.sweep();
    t = await cl.service.get(number);
    expect(t.state.escalation).toMatchObject({ level: 2, to: ["head-tech", "head-support"] });
  });

  it("runs second-scale targets (PT5S) so a demo can watch an alert fire", async () => {
    const clock = new ManualClock(MONDAY_10);
    const sink = new FakeSink(clock);
    const { cl } = await boot(clock, sink, undefined, {
      sla: {
        policies: { urgent: { firstResponse: "PT5S", update: "P1D", resolution: "P1D" } },
        urgent24x7: true,
      },
    });
    const t = await cl.service.create(
      { actor: "agent-li", via: "api" },
      { description: "demo", department: "tech", owner: "eng-liu", priority: "urgent" },
    );
    expect(t.state.due.firstResponse).toBe("2026-11-23T02:00:05.000Z");
    expect(t.state.nextDueAt).toBe("2026-11-23T02:00:04.000Z");
  });

  it("re-plans stored deadlines when the calendar or policies change", async () => {
    const clock = new ManualClock(MONDAY_10);
    const sink = new FakeSink(clock);
    let { cl, dir } = await boot(clock, sink);
    const t = await cl.service.create(
      { actor: "agent-li", via: "api" },
      { description: "咨询", department: "support", priority: "normal" },
    );
    expect(t.state.due.resolution).toBe("2026-11-26T02:00:00.000Z");
    await cl.close();
    open.pop();
    ({ cl } = await boot(clock, sink, dir, { sla: { calendar: "24x7" } }));
    expect(await cl.service.replanAll()).toBe(1);
    expect((await cl.service.get(t.state.number)).state.due.resolution).toBe("2026-11-26T02:00:00.000Z");
    expect(await cl.service.replanAll()).toBe(0);
    await cl.close();
    open.pop();
    ({ cl } = await boot(clock, sink, dir, {
      sla: { policies: { normal: { firstResponse: "P1D", update: "P1D", resolution: "P1D" } } },
    }));
    expect(await cl.service.replanAll()).toBe(1);
    expect((await cl.service.get(t.state.number)).state.due.resolution).toBe("2026-11-24T02:00:00.000Z");
  });

  it("sends intake escalations straight to the head", async () => {
    const clock = new ManualClock(MONDAY_10);
    const sink = new FakeSink(clock);
    const { cl } = await boot(clock, sink);
    const t = await cl.service.create(
      { actor: "agent-li", via: "api" },
      { description: "客户非常生气，说再不处理就去 12315 投诉，还要求赔偿2000元", department: "tech" },
    );
    const escalated = t.events.find((e) => e.type === "escalated");
    expect(escalated).toMatchObject({ to: ["head-tech"], level: 1 });
    const kinds = escalated?.type === "escalated" ? escalated.reasons.map((r) => r.kind) : [];
    expect(kinds).toEqual(expect.arrayContaining(["angry_customer", "major_complaint", "over_authority"]));
    expect(t.state.rules.length).toBeGreaterThan(0);
    const rows = await outbox(cl);
    expect(rows.some((r) => r.kind === "escalation" && r.recipient === "head-tech")).toBe(true);
  });
});

describe("nudges and the outbox", () => {
  it("delivers a nudge once through an outage and a restart, and rate-limits the second tap", async () => {
    const clock = new ManualClock(MONDAY_10);
    const sink = new FakeSink(clock).down();
    let { cl, dir } = await boot(clock, sink);
    const t = await cl.service.create(
      { actor: "agent-li", via: "api" },
      { description: "物流查询", department: "logistics", owner: "eng-ma" },
    );
    await cl.service.execute(t.state.number, "nudge", {}, { actor: "agent-zhou", via: "api" });
    const second = cl.service.execute(t.state.number, "nudge", {}, { actor: "agent-li", via: "api" });
    await expect(second).rejects.toMatchObject({ code: "rate_limited" });
    await expect(second).rejects.toThrow(/周敏|agent-zhou/);

    const first = await cl.dispatcher.runOnce();
    expect(first.delivered).toBe(0);
    await cl.close();
    open.pop();

    sink.up();
    clock.advance(HOUR);
    ({ cl } = await boot(clock, sink, dir));
    await cl.dispatcher.runOnce();
    await cl.dispatcher.runOnce();
    const nudges = sink.successes().filter((c) => c.kinds.includes("nudge"));
    expect(nudges).toHaveLength(1);
    expect(nudges[0]!.recipient).toBe("eng-ma");
    expect((await outbox(cl)).filter((r) => r.kind === "nudge")).toHaveLength(0);
    const keys = sink.successes().flatMap((c) => c.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("follow-up and satisfaction", () => {
  it("asks for confirmation, then a survey; a low score opens a remedy task with its own clock", async () => {
    const clock = new ManualClock(MONDAY_10);
    const sink = new FakeSink(clock);
    const { cl } = await boot(clock, sink);
    const as = (actor: string) => ({ actor, via: "api" as const });
    let t = await cl.service.create(as("agent-li"), {
      description: "换货",
      department: "returns",
      owner: "eng-wu",
    });
    const n = t.state.number;
    ({ record: t } = await cl.service.execute(
      n,
      "resolve",
      { version: t.state.version, solution: "已换新" },
      as("eng-wu"),
    ));
    expect(
      (await outbox(cl)).some((r) => r.kind === "confirmation_request" && r.recipient === "agent-li"),
    ).toBe(true);

    await expect(
      cl.service.execute(
        n,
        "survey",
        { version: t.state.version, resolutionScore: 5, attitudeScore: 5, method: "phone" },
        as("agent-li"),
      ),
    ).rejects.toMatchObject({ code: "invalid_transition" });
    ({ record: t } = await cl.service.execute(
      n,
      "confirm",
      { version: t.state.version, result: "confirmed" },
      as("agent-li"),
    ));
    expect(t.state.due.survey).toBe("2026-11-26T02:00:00.000Z");

    ({ record: t } = await cl.service.execute(
      n,
      "survey",
      {
        version: t.state.version,
        resolutionScore: 2,
        attitudeScore: 4,
        method: "phone",
        suggestion: "换货太慢",
      },
      as("agent-li"),
    ));
    expect(t.state.remedy).toBeDefined();
    expect(t.state.due.remedy).toBeTruthy();
    const rows = await outbox(cl);
    expect(
      rows
        .filter((r) => r.kind === "remedy_alert")
        .map((r) => r.recipient)
        .sort(),
    ).toEqual(["agent-li", "head-returns"]);

    ({ record: t } = await cl.service.execute(
      n,
      "remedy",
      { version: t.state.version, note: "已回电并补偿优惠券" },
      as("head-returns"),
    ));
    expect(t.state.remedy?.doneAt).toBeTruthy();
    expect(t.state.schedule).toEqual([]);
  });

  it("reopens the ticket when the customer disputes the result", async () => {
    const clock = new ManualClock(MONDAY_10);
    const { cl } = await boot(clock, new FakeSink(clock));
    const as = (actor: string) => ({ actor, via: "api" as const });
    let t = await cl.service.create(as("agent-li"), {
      description: "维修",
      department: "tech",
      owner: "eng-liu",
    });
    ({ record: t } = await cl.service.execute(
      t.state.number,
      "resolve",
      { version: 1, solution: "已修" },
      as("eng-liu"),
    ));
    const missing = cl.service.execute(
      t.state.number,
      "confirm",
      { version: t.state.version, result: "disputed" },
      as("agent-li"),
    );
    await expect(missing).rejects.toThrow(/reason/);
    ({ record: t } = await cl.service.execute(
      t.state.number,
      "confirm",
      { version: t.state.version, result: "disputed", reason: "还是坏的" },
      as("agent-li"),
    ));
    expect(t.state).toMatchObject({ status: "in_progress", reopenReason: "还是坏的" });
    expect(t.state.due.resolution).toBeTruthy();
  });
});
