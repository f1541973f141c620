import { DomainError } from "../errors.ts";
import { label, STATUS_LABELS } from "../i18n/labels.ts";
import type { Status } from "./schema.ts";

const MOVE_LABELS = {
  start: { "zh-CN": "开始处理", en: "start" },
  resolve: { "zh-CN": "标记解决", en: "resolve" },
  reopen: { "zh-CN": "重新打开", en: "reopen" },
  claim: { "zh-CN": "认领", en: "claim" },
  nudge: { "zh-CN": "催办", en: "nudge" },
} as const;

export function invalidTransition(
  number: string,
  move: keyof typeof MOVE_LABELS,
  status: Status,
): DomainError {
  const s = label(STATUS_LABELS, status);
  const m = MOVE_LABELS[move];
  return new DomainError(
    "invalid_transition",
    {
      "zh-CN": `工单 ${number} 当前状态为「${s["zh-CN"]}」，不能${m["zh-CN"]}`,
      en: `Ticket ${number} is ${s.en}: ${m.en} is not possible from there`,
    },
    { status, move },
  );
}

export function forbidden(number: string, actor: string, what: { "zh-CN": string; en: string }): DomainError {
  return new DomainError(
    "forbidden",
    {
      "zh-CN": `你没有权限${what["zh-CN"]}（工单 ${number}）`,
      en: `You are not allowed to ${what.en} (ticket ${number})`,
    },
    { actor },
  );
}

export function notFound(number: string): DomainError {
  return new DomainError(
    "not_found",
    { "zh-CN": `找不到工单 ${number}`, en: `No ticket ${number}` },
    { number },
  );
}

export function unknownPerson(field: string, id: string): DomainError {
  return new DomainError(
    "validation",
    { "zh-CN": `${field}：通讯录中没有「${id}」`, en: `${field}: no person "${id}" in the directory` },
    { issues: [{ field, message: `unknown person "${id}"` }] },
  );
}

export function unknownDepartment(field: string, id: string): DomainError {
  return new DomainError(
    "validation",
    { "zh-CN": `${field}：没有部门「${id}」`, en: `${field}: no department "${id}"` },
    { issues: [{ field, message: `unknown department "${id}"` }] },
  );
}

export function notAMember(field: string, person: string, department: string): DomainError {
  return new DomainError(
    "validation",
    {
      "zh-CN": `${field}：「${person}」不是部门「${department}」的成员`,
      en: `${field}: "${person}" is not a member of department "${department}"`,
    },
    { issues: [{ field, message: `not a member of ${department}` }] },
  );
}

export function alreadyOwner(number: string): DomainError {
  return new DomainError(
    "invalid_transition",
    { "zh-CN": `你已经是工单 ${number} 的负责人`, en: `You already own ticket ${number}` },
    {},
  );
}

export function noOwnerToNudge(number: string): DomainError {
  return new DomainError(
    "invalid_transition",
    { "zh-CN": `工单 ${number} 还没有负责人，无法催办`, en: `Ticket ${number} has no owner to nudge yet` },
    {},
  );
}

export function nudgeTooSoon(number: string, lastBy: string, lastAt: string, nextAt: string): DomainError {
  return new DomainError(
    "rate_limited",
    {
      "zh-CN": `${lastBy} 已于 ${lastAt} 催办过工单 ${number}，${nextAt} 之后可再次催办`,
      en: `${lastBy} already nudged ticket ${number} at ${lastAt}; you can nudge again after ${nextAt}`,
    },
    { lastBy, lastAt, nextAt },
  );
}

export function notApplicable(number: string, what: { "zh-CN": string; en: string }): DomainError {
  return new DomainError(
    "invalid_transition",
    { "zh-CN": `工单 ${number}：${what["zh-CN"]}`, en: `Ticket ${number}: ${what.en}` },
    {},
  );
}
