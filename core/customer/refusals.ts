import { DomainError } from "../errors.ts";
import type { Text } from "../i18n/locale.ts";

export const SURVEY_NOT_OPEN: Record<"notConfirmed" | "answered", Text> = {
  notConfirmed: {
    "zh-CN": "客户确认处理结果之后才能发送回访链接",
    en: "a survey link can be sent once the customer has confirmed the result",
  },
  answered: { "zh-CN": "该工单已完成回访", en: "the survey is already recorded" },
};

/** A survey link asked for while no survey could be recorded on the ticket. */
export function surveyNotOpen(number: string, why: Text): DomainError {
  return new DomainError(
    "invalid_transition",
    { "zh-CN": `工单 ${number}：${why["zh-CN"]}`, en: `Ticket ${number}: ${why.en}` },
    { number },
  );
}

export function mayNotShare(number: string, actor: string, kind: "status" | "survey"): DomainError {
  const what =
    kind === "status"
      ? { "zh-CN": "向客户分享进度链接", en: "share a progress link with the customer" }
      : { "zh-CN": "向客户发送回访链接", en: "send the customer a survey link" };
  return new DomainError(
    "forbidden",
    {
      "zh-CN": `你没有权限${what["zh-CN"]}（工单 ${number}）`,
      en: `You are not allowed to ${what.en} (ticket ${number})`,
    },
    { actor },
  );
}
