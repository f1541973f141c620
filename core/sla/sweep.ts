import type { TicketEvent } from "../ticket/events.ts";
import type { TicketState } from "../ticket/state.ts";
import type { SlaPlanner } from "./planner.ts";

const TARGET_TEXT = {
  firstResponse: { "zh-CN": "首次响应", en: "first response" },
  update: { "zh-CN": "进度更新", en: "progress update" },
  resolution: { "zh-CN": "解决", en: "resolution" },
  survey: { "zh-CN": "回访", en: "follow-up survey" },
  remedy: { "zh-CN": "补救联系", en: "remedy contact" },
} as const;

/** Who hears of a stage: warnings go to whoever holds the ticket, breaches up the chain of heads. */
function recipients(t: TicketState, stage: TicketState["schedule"][number], sla: SlaPlanner): string[] {
  const heads = sla.escalationRecipients(t.department, Math.max(1, stage.level));
  const holder = stage.target === "survey" || stage.target === "remedy" ? t.firstContact : t.owner;
  if (stage.stage === "warn") return [holder ?? heads[0]].filter((p): p is string => p !== undefined);
  if (stage.level === 1 && (stage.target === "survey" || stage.target === "remedy")) {
    return [...new Set([t.firstContact, ...heads])];
  }
  return heads;
}

/**
 * The events for every stage of a ticket that is due at `now` and has not fired: recorded on the ticket in the
 * same write as the notifications they cause, so each (ticket, stage) fires exactly once, restarts included.
 */
export function dueStageEvents(t: TicketState, now: Date, sla: SlaPlanner): TicketEvent[] {
  const at = now.toISOString();
  const events: TicketEvent[] = [];
  const due = t.schedule
    .filter((s) => s.at <= at && !t.fired.includes(s.key))
    .sort((a, b) => (a.at < b.at ? -1 : 1));
  for (const stage of due) {
    const notified = recipients(t, stage, sla);
    const meta = { at, actor: "system", via: "system" as const };
    events.push({ ...stage, ...meta, type: "sla_stage", notified });
    if (stage.stage !== "warn" && notified.length > 0 && stage.target !== "survey") {
      const overdueMin = Math.round(sla.businessMsBetween(t, new Date(stage.due), now) / 60_000);
      const what = TARGET_TEXT[stage.target];
      events.push({
        ...meta,
        type: "escalated",
        to: notified,
        level: stage.level,
        reasons: [
          {
            kind: "sla_overdue",
            text: {
              "zh-CN": `${what["zh-CN"]}已超时 ${overdueMin} 分钟（工作时间，第 ${stage.level} 级）`,
              en: `${what.en} overdue by ${overdueMin} business minutes (level ${stage.level})`,
            },
          },
        ],
      });
    }
  }
  return events;
}
