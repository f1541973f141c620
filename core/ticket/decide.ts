import type { Directory } from "../directory/directory.ts";
import {
  mayAdjust,
  mayAssign,
  mayClaim,
  mayFollowUp,
  mayReopen,
  mayReveal,
  mayTalk,
  mayWork,
} from "../directory/permissions.ts";
import type { Person } from "../directory/schema.ts";
import { DomainError } from "../errors.ts";
import type { SealedContact } from "../privacy/cipher.ts";
import type { SealedText } from "../privacy/seal.ts";
import type { TicketCommand } from "./commands.ts";
import type { EventMeta, TicketEvent } from "./events.ts";
import { isMaterial } from "./events.ts";
import {
  alreadyOwner,
  forbidden,
  invalidTransition,
  noOwnerToNudge,
  notAMember,
  notApplicable,
  nudgeTooSoon,
  unknownDepartment,
  unknownPerson,
} from "./refusals.ts";
import type { Platform } from "./schema.ts";
import type { TicketState } from "./state.ts";
import { canMove } from "./transitions.ts";

export interface DecideContext {
  readonly actor: Person;
  readonly directory: Directory;
  readonly now: string;
  readonly via: Platform | "system";
  /** The delivery asking, recorded on the events (see EventMeta.request). */
  readonly request?: string;
  readonly nudgeWindowMs: number;
  /** Masks phone numbers typed into free text and seals the originals. */
  readonly sealText: (text: string) => SealedText;
  /** Business time from an instant until now, on the ticket's calendar (for a paused clock). */
  readonly businessMsSince: (from: string) => number;
  /** A survey score below this opens a remedy task. */
  readonly lowScore: number;
}

interface TicketRecordView {
  readonly state: TicketState;
  readonly events: readonly TicketEvent[];
}

const WHAT = {
  claim: { "zh-CN": "认领该工单", en: "claim this ticket" },
  assign: { "zh-CN": "分派该工单", en: "assign this ticket" },
  work: { "zh-CN": "处理该工单", en: "move this ticket" },
  reopen: { "zh-CN": "重新打开该工单", en: "reopen this ticket" },
  talk: { "zh-CN": "操作该工单", en: "act on this ticket" },
  reveal: { "zh-CN": "查看完整联系方式", en: "reveal the contact" },
  adjust: { "zh-CN": "调整该工单", en: "change this ticket" },
  followUp: { "zh-CN": "记录客户确认与回访", en: "record the customer's confirmation and survey" },
} as const;

const NOT = {
  paused: { "zh-CN": "计时已暂停", en: "its clock is already paused" },
  notPaused: { "zh-CN": "计时没有暂停", en: "its clock is not paused" },
  resolvedNoPause: { "zh-CN": "已解决的工单不能暂停计时", en: "a resolved ticket has no clock to pause" },
  resolvedNoUpdate: { "zh-CN": "已解决的工单不能修改分类", en: "a resolved ticket cannot be re-classified" },
  nothingToUpdate: { "zh-CN": "没有要修改的字段", en: "nothing to change" },
  notResolved: {
    "zh-CN": "尚未解决，不能记录客户确认",
    en: "it is not resolved, so there is nothing to confirm",
  },
  alreadyConfirmed: { "zh-CN": "客户已确认", en: "the customer already confirmed it" },
  notConfirmed: { "zh-CN": "客户确认之后才能回访", en: "the survey comes after the customer's confirmation" },
  alreadySurveyed: { "zh-CN": "已完成回访", en: "the survey is already recorded" },
  noRemedy: { "zh-CN": "没有待补救的回访", en: "there is no open remedy task" },
} as const;

function personName(dir: Directory, id: string): string {
  return dir.person(id)?.name ?? id;
}

/** A stale version is refused with who changed what since the version the sender saw. */
export function conflictError(record: TicketRecordView, seenVersion: number, dir: Directory): DomainError {
  const { state } = record;
  let version = 0;
  const changes: { actor: string; name: string; change: string; at: string }[] = [];
  for (const e of record.events) {
    if (!isMaterial(e)) continue;
    version += 1;
    if (version > seenVersion)
      changes.push({ actor: e.actor, name: personName(dir, e.actor), change: e.type, at: e.at });
  }
  const summary = changes.map((c) => `${c.name} (${c.change}, ${c.at})`).join(", ");
  return new DomainError(
    "conflict",
    {
      "zh-CN": `工单 ${state.number} 已被修改（你看到的是第 ${seenVersion} 版，当前第 ${state.version} 版）：${summary}。请刷新后再试`,
      en: `Ticket ${state.number} changed since version ${seenVersion} (now ${state.version}): ${summary}. Refresh and try again`,
    },
    { number: state.number, seenVersion, currentVersion: state.version, changes },
  );
}

function checkVersion(record: TicketRecordView, seen: number | undefined, dir: Directory): void {
  if (seen !== undefined && seen !== record.state.version) throw conflictError(record, seen, dir);
}

/** Decides the events a command produces on a ticket, or refuses it. Pure but for the injected sealer. */
export function decide(record: TicketRecordView, cmd: TicketCommand, ctx: DecideContext): TicketEvent[] {
  const { state: t } = record;
  const { actor, directory: dir } = ctx;
  const meta: EventMeta = {
    at: ctx.now,
    actor: actor.id,
    via: ctx.via,
    ...(ctx.request !== undefined ? { request: ctx.request } : {}),
  };
  checkVersion(record, cmd.version, dir);

  switch (cmd.name) {
    case "claim": {
      if (!mayClaim(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.claim);
      if (t.status === "resolved") throw invalidTransition(t.number, "claim", t.status);
      if (t.owner === actor.id) throw alreadyOwner(t.number);
      return [{ ...meta, type: "assigned", owner: actor.id, department: t.department, how: "claim" }];
    }
    case "assign": {
      if (!mayAssign(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.assign);
      const department = cmd.department ?? t.department;
      // Within their own department: a head may not hand a ticket over to a department they do not head.
      if (department !== t.department && !mayAssign(dir, actor, { ...t, department }))
        throw forbidden(t.number, actor.id, WHAT.assign);
      if (!dir.department(department)) throw unknownDepartment("department", department);
      if (!dir.person(cmd.owner)) throw unknownPerson("owner", cmd.owner);
      if (!dir.isMember(cmd.owner, department)) throw notAMember("owner", cmd.owner, department);
      return [{ ...meta, type: "assigned", owner: cmd.owner, department, how: "assign" }];
    }
    case "start": {
      if (!mayWork(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.work);
      if (!canMove("start", t.status)) throw invalidTransition(t.number, "start", t.status);
      // Starting an unowned ticket makes the starter its owner.
      const claim: TicketEvent[] =
        t.owner === undefined
          ? [{ ...meta, type: "assigned", owner: actor.id, department: t.department, how: "claim" }]
          : [];
      return [...claim, { ...meta, type: "started" }];
    }
    case "resolve": {
      if (!mayWork(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.work);
      if (!canMove("resolve", t.status)) throw invalidTransition(t.number, "resolve", t.status);
      const sealed = ctx.sealText(cmd.solution);
      return [{ ...meta, type: "resolved", solution: sealed.text, ...contactsOf(sealed) }];
    }
    case "reopen": {
      if (!mayReopen(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.reopen);
      if (!canMove("reopen", t.status)) throw invalidTransition(t.number, "reopen", t.status);
      const sealed = ctx.sealText(cmd.reason);
      return [{ ...meta, type: "reopened", reason: sealed.text, ...contactsOf(sealed) }];
    }
    case "comment": {
      if (!mayTalk(actor)) throw forbidden(t.number, actor.id, WHAT.talk);
      const sealed = ctx.sealText(cmd.text);
      return [{ ...meta, type: "commented", text: sealed.text, ...contactsOf(sealed) }];
    }
    case "nudge": {
      if (!mayTalk(actor)) throw forbidden(t.number, actor.id, WHAT.talk);
      if (!t.owner) throw noOwnerToNudge(t.number);
      if (t.status === "resolved") throw invalidTransition(t.number, "nudge", t.status);
      const last = lastNudgeOf(record.events, t.owner);
      if (last) {
        const nextAt = Date.parse(last.at) + ctx.nudgeWindowMs;
        if (Date.parse(ctx.now) < nextAt) {
          throw nudgeTooSoon(t.number, personName(dir, last.actor), last.at, new Date(nextAt).toISOString());
        }
      }
      return [{ ...meta, type: "nudged", target: t.owner }];
    }
    case "reveal-contact": {
      if (!mayReveal(actor, t)) throw forbidden(t.number, actor.id, WHAT.reveal);
      return [{ ...meta, type: "contact_revealed", field: "phone" }];
    }
    case "update": {
      if (!mayAdjust(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.adjust);
      if (t.status === "resolved") throw notApplicable(t.number, NOT.resolvedNoUpdate);
      const changes = {
        ...(cmd.priority !== undefined && cmd.priority !== t.priority ? { priority: cmd.priority } : {}),
        ...(cmd.problemType !== undefined && cmd.problemType !== t.problemType
          ? { problemType: cmd.problemType }
          : {}),
        // Masked as at intake: a phone typed into a tag is a contact like any other.
        ...(cmd.problemTag !== undefined && ctx.sealText(cmd.problemTag).text !== t.problemTag
          ? { problemTag: ctx.sealText(cmd.problemTag).text }
          : {}),
        ...(cmd.mood !== undefined && cmd.mood !== t.mood ? { mood: cmd.mood } : {}),
      };
      if (Object.keys(changes).length === 0) throw notApplicable(t.number, NOT.nothingToUpdate);
      return [{ ...meta, type: "updated", changes }];
    }
    case "pause": {
      if (!mayAdjust(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.adjust);
      if (t.status === "resolved") throw notApplicable(t.number, NOT.resolvedNoPause);
      if (t.paused) throw notApplicable(t.number, NOT.paused);
      const sealed = ctx.sealText(cmd.reason);
      return [{ ...meta, type: "paused", reason: sealed.text }];
    }
    case "resume": {
      if (!mayAdjust(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.adjust);
      if (!t.paused) throw notApplicable(t.number, NOT.notPaused);
      return [{ ...meta, type: "resumed", pausedMs: ctx.businessMsSince(t.paused.since) }];
    }
    case "confirm": {
      if (!mayFollowUp(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.followUp);
      if (t.status !== "resolved") throw notApplicable(t.number, NOT.notResolved);
      if (t.confirmation) throw notApplicable(t.number, NOT.alreadyConfirmed);
      if (cmd.result === "confirmed") return [{ ...meta, type: "confirmed", result: "confirmed" }];
      const sealed = ctx.sealText(cmd.reason ?? "");
      return [
        { ...meta, type: "confirmed", result: "disputed", reason: sealed.text },
        { ...meta, type: "reopened", reason: sealed.text, ...contactsOf(sealed) },
      ];
    }
    case "survey": {
      if (!mayFollowUp(dir, actor, t)) throw forbidden(t.number, actor.id, WHAT.followUp);
      if (t.confirmation?.result !== "confirmed") throw notApplicable(t.number, NOT.notConfirmed);
      if (t.survey) throw notApplicable(t.number, NOT.alreadySurveyed);
      const suggestion = cmd.suggestion ? ctx.sealText(cmd.suggestion).text : undefined;
      return [
        {
          ...meta,
          type: "surveyed",
          resolutionScore: cmd.resolutionScore,
          attitudeScore: cmd.attitudeScore,
          method: cmd.method,
          suggestion,
          remedy: Math.min(cmd.resolutionScore, cmd.attitudeScore) < ctx.lowScore,
        },
      ];
    }
    case "remedy": {
      if (!mayFollowUp(dir, actor, t) && !mayWork(dir, actor, t))
        throw forbidden(t.number, actor.id, WHAT.followUp);
      if (!t.remedy || t.remedy.doneAt) throw notApplicable(t.number, NOT.noRemedy);
      return [{ ...meta, type: "remedied", note: ctx.sealText(cmd.note).text }];
    }
  }
}

function contactsOf(sealed: SealedText): { contacts?: readonly SealedContact[] } {
  return sealed.contacts.length ? { contacts: sealed.contacts } : {};
}

function lastNudgeOf(events: readonly TicketEvent[], owner: string): TicketEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === "nudged" && e.target === owner) return e;
  }
  return undefined;
}
