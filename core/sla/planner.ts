import type { Directory } from "../directory/directory.ts";
import type { Deadlines, ScheduledStage, SlaTarget } from "../ticket/events.ts";
import type { TicketState } from "../ticket/state.ts";
import { type BusinessCalendar, compileCalendar } from "./calendar.ts";
import { type Duration, parseDuration } from "./duration.ts";
import type { SlaConfig, SlaPolicy } from "./sla-schema.ts";

export interface Plan {
  readonly due: Deadlines;
  readonly schedule: readonly ScheduledStage[];
}

interface RunningTarget {
  readonly target: SlaTarget;
  readonly start: Date;
  readonly due: Date;
}

const iso = (d: Date) => d.toISOString();

/**
 * Deadlines and SLA stages for a ticket, from its state alone: computed on every change, so a new priority,
 * department, calendar or status re-plans them. Stage keys carry the deadline, so a stage fires once per
 * deadline however often the plan is recomputed.
 */
export class SlaPlanner {
  readonly #config: SlaConfig;
  readonly #directory: Directory;
  readonly #calendar: BusinessCalendar;
  readonly #departmentCalendars = new Map<string, BusinessCalendar>();
  readonly #roundTheClock = compileCalendar("24x7");
  readonly #follow: { survey: Duration; remedy: Duration };
  readonly #repeat?: Duration;

  constructor(config: SlaConfig, directory: Directory) {
    this.#config = config;
    this.#directory = directory;
    this.#calendar = compileCalendar(config.calendar);
    for (const [id, override] of Object.entries(config.departments)) {
      if (override.calendar) this.#departmentCalendars.set(id, compileCalendar(override.calendar));
    }
    this.#follow = {
      survey: parseDuration(config.followUp.surveyWithin),
      remedy: parseDuration(config.followUp.remedyWithin),
    };
    this.#repeat = config.escalation.repeatAfter ? parseDuration(config.escalation.repeatAfter) : undefined;
  }

  calendarFor(t: Pick<TicketState, "priority" | "department">): BusinessCalendar {
    if (t.priority === "urgent" && this.#config.urgent24x7) return this.#roundTheClock;
    return this.#departmentCalendars.get(t.department) ?? this.#calendar;
  }

  policyFor(t: Pick<TicketState, "priority" | "department">): SlaPolicy {
    const base = this.#config.policies[t.priority];
    const override = this.#config.departments[t.department]?.policies?.[t.priority];
    return { ...base, ...override };
  }

  businessMsBetween(t: TicketState, from: Date, to: Date): number {
    return this.calendarFor(t).businessTimeBetween(from, to);
  }

  #running(t: TicketState): RunningTarget[] {
    const cal = this.calendarFor(t);
    const policy = this.policyFor(t);
    // A paused clock stands still: the time it stood is added to every deadline it holds.
    const deadline = (start: Date, d: Duration) => cal.addBusinessTime(cal.addDuration(start, d), t.pausedMs);
    const out: RunningTarget[] = [];
    if (t.status !== "resolved") {
      if (t.paused) return out;
      if (t.firstResponseAt === undefined) {
        const start = new Date(t.createdAt);
        out.push({
          target: "firstResponse",
          start,
          due: deadline(start, parseDuration(policy.firstResponse)),
        });
      }
      if (t.status === "in_progress") {
        const start = new Date(t.lastUpdateAt ?? t.startedAt ?? t.createdAt);
        out.push({ target: "update", start, due: cal.addDuration(start, parseDuration(policy.update)) });
      }
      const start = new Date(t.reopenedAt ?? t.createdAt);
      out.push({ target: "resolution", start, due: deadline(start, parseDuration(policy.resolution)) });
      return out;
    }
    if (t.confirmation?.result === "confirmed" && !t.survey) {
      const start = new Date(t.confirmation.at);
      out.push({ target: "survey", start, due: cal.addDuration(start, this.#follow.survey) });
    }
    if (t.remedy && !t.remedy.doneAt) {
      const start = new Date(t.remedy.openedAt);
      out.push({ target: "remedy", start, due: cal.addDuration(start, this.#follow.remedy) });
    }
    return out;
  }

  /** How many levels an overdue target can climb: the department's chain of heads, then the supervisor. */
  levels(department: string): number {
    const chain =
      this.#directory.escalationChain(department).length + (this.#config.escalation.supervisor ? 1 : 0);
    return Math.max(1, Math.min(chain, this.#config.escalation.maxLevel));
  }

  /** The people an overdue stage at `level` goes to (level 1: the department head). */
  escalationRecipients(department: string, level: number): string[] {
    const chain = this.#directory.escalationChain(department);
    const supervisor = this.#config.escalation.supervisor;
    const who = chain[level - 1] ?? (level - 1 === chain.length ? supervisor : undefined);
    return who ? [who] : [];
  }

  plan(t: TicketState): Plan {
    const cal = this.calendarFor(t);
    const due: Record<string, string> = {};
    const schedule: ScheduledStage[] = [];
    for (const r of this.#running(t)) {
      const dueIso = iso(r.due);
      due[r.target] = dueIso;
      const length = cal.businessTimeBetween(r.start, r.due);
      const stage = (stageName: ScheduledStage["stage"], level: number, at: Date): ScheduledStage => ({
        key: `${r.target}:${stageName}:${level}@${dueIso}`,
        at: iso(at),
        target: r.target,
        stage: stageName,
        level,
        due: dueIso,
      });
      schedule.push(
        stage("warn", 0, cal.addBusinessTime(r.start, Math.floor(length * this.#config.escalation.warnAt))),
      );
      schedule.push(stage("breach", 1, r.due));
      const repeat = this.#repeat
        ? cal.addDuration(r.due, this.#repeat).getTime() - r.due.getTime()
        : undefined;
      let at = r.due;
      for (let level = 2; level <= this.levels(t.department); level++) {
        at =
          repeat !== undefined
            ? new Date(at.getTime() + repeat)
            : cal.addBusinessTime(at, Math.max(length, 60_000));
        schedule.push(stage("escalate", level, at));
      }
    }
    return { due, schedule };
  }
}
