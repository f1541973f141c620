import type { PublicProgress, PublicStep } from "../../core/customer/progress.ts";
import { SUGGESTION_MAX } from "../../core/customer/survey-answer.ts";
import { label, STATUS_LABELS } from "../../core/i18n/labels.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import { type CustomerKey, ct } from "./i18n.ts";
import { e } from "./layout.ts";

/** Dates as a customer reads them, in the service's time zone. */
export function timeFormat(locale: Locale, timeZone: string): (iso: string) => string {
  const f = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    timeZone,
    month: "short",
    day: "numeric",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  return (iso) => f.format(new Date(iso));
}

type Time = (iso: string) => string;

function stepText(locale: Locale, s: PublicStep): string {
  const role = s.role ? ct(locale, `role.${s.role}` as CustomerKey) : ct(locale, "role.team");
  return ct(locale, `step.${s.kind}` as CustomerKey, { role });
}

export function statusBody(locale: Locale, p: PublicProgress, time: Time): string {
  const status = label(STATUS_LABELS, p.status)[locale];
  const promise = p.next
    ? `<p class="promise" data-promise="${p.next.kind}">${e(ct(locale, `status.next.${p.next.kind}` as CustomerKey, { at: time(p.next.by) }))}</p>${
        p.next.late ? `<p class="note">${e(ct(locale, "status.late"))}</p>` : ""
      }`
    : "";
  const target = p.targetResolution
    ? `<p data-target>${e(p.targetResolution.late ? ct(locale, "status.targetLate") : ct(locale, "status.target", { at: time(p.targetResolution.by) }))}</p>`
    : "";
  const steps = [...p.steps]
    .reverse()
    .map(
      (s) =>
        `<li data-step="${s.kind}"><time datetime="${e(s.at)}">${e(time(s.at))}</time>${e(stepText(locale, s))}</li>`,
    )
    .join("");
  return `<h1>${e(ct(locale, "status.title"))}</h1>
<dl>
<dt>${e(ct(locale, "status.number"))}</dt><dd data-number>${e(p.number)}</dd>
<dt>${e(ct(locale, "status.status"))}</dt><dd><span class="badge ${p.status}" data-status="${p.status}">${e(status)}</span></dd>
</dl>
${p.waitingOnCustomer ? `<p class="note" data-waiting>${e(ct(locale, "status.waiting"))}</p>` : ""}
${promise}
${target}
${p.status === "resolved" && !p.next ? `<p>${e(ct(locale, "status.done"))}</p>` : ""}
<h2>${e(ct(locale, "status.steps"))}</h2>
<ol class="steps">${steps}</ol>`;
}

export interface LookupForm {
  readonly formToken: string;
  readonly number?: string;
  /** Field problems (format only), or the one refusal that never says which part was wrong. */
  readonly errors?: readonly string[];
}

export function lookupBody(locale: Locale, f: LookupForm): string {
  return `<h1>${e(ct(locale, "lookup.title"))}</h1>
<p>${e(ct(locale, "lookup.intro"))}</p>
${errorList(locale, f.errors, false)}
<form method="post" action="/status" novalidate>
<input type="hidden" name="form" value="${e(f.formToken)}">
<input type="hidden" name="lang" value="${locale}">
<label for="number">${e(ct(locale, "lookup.number"))} <span class="hint">${e(ct(locale, "lookup.numberHint"))}</span></label>
<input type="text" id="number" name="number" maxlength="40" autocomplete="off" autocapitalize="characters" spellcheck="false" required value="${e(f.number ?? "")}">
<label for="code">${e(ct(locale, "lookup.code"))} <span class="hint">${e(ct(locale, "lookup.codeHint"))}</span></label>
<input type="text" id="code" name="code" maxlength="20" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit" class="primary">${e(ct(locale, "lookup.submit"))}</button>
</form>`;
}

export interface SurveyForm {
  readonly number: string;
  readonly token: string;
  readonly formToken: string;
  readonly values?: { resolutionScore?: string; attitudeScore?: string; suggestion?: string };
  readonly errors?: readonly string[];
}

function scoreField(locale: Locale, name: string, legend: CustomerKey, chosen: string | undefined): string {
  const options = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<label><input type="radio" name="${name}" value="${n}" required${chosen === String(n) ? " checked" : ""}><span><b>${n}</b>${e(ct(locale, `survey.score${n}` as CustomerKey))}</span></label>`,
    )
    .join("");
  return `<fieldset data-field="${name}"><legend>${e(ct(locale, legend))}</legend><div class="scores">${options}</div></fieldset>`;
}

export function surveyBody(locale: Locale, f: SurveyForm): string {
  const v = f.values ?? {};
  return `<h1>${e(ct(locale, "survey.title"))}</h1>
<dl><dt>${e(ct(locale, "status.number"))}</dt><dd data-number>${e(f.number)}</dd></dl>
<p>${e(ct(locale, "survey.intro"))}</p>
${errorList(locale, f.errors, true)}
<form method="post" action="/survey">
<input type="hidden" name="t" value="${e(f.token)}">
<input type="hidden" name="form" value="${e(f.formToken)}">
<input type="hidden" name="lang" value="${locale}">
<p class="hint">${e(ct(locale, "survey.scale"))}</p>
${scoreField(locale, "resolutionScore", "survey.resolution", v.resolutionScore)}
${scoreField(locale, "attitudeScore", "survey.attitude", v.attitudeScore)}
<label for="suggestion">${e(ct(locale, "survey.suggestion"))} <span class="hint">${e(ct(locale, "survey.suggestionHint", { n: SUGGESTION_MAX }))}</span></label>
<textarea id="suggestion" name="suggestion" maxlength="${SUGGESTION_MAX}" rows="4">${e(v.suggestion ?? "")}</textarea>
<button type="submit" class="primary">${e(ct(locale, "survey.submit"))}</button>
</form>`;
}

export function surveyDoneBody(locale: Locale, number: string, lines: readonly string[]): string {
  return `<h1>${e(ct(locale, "survey.title"))}</h1>
<dl><dt>${e(ct(locale, "status.number"))}</dt><dd data-number>${e(number)}</dd></dl>
${lines.map((l) => `<p class="promise" data-outcome>${e(l)}</p>`).join("")}`;
}

export function messageBody(title: string, text: string, kind = "note"): string {
  return `<h1>${e(title)}</h1><p class="${kind}" data-message>${e(text)}</p>`;
}

function errorList(locale: Locale, errors: readonly string[] | undefined, heading: boolean): string {
  if (!errors?.length) return "";
  const items = errors.map((m) => `<li>${e(m)}</li>`).join("");
  const title = heading ? `<p>${e(ct(locale, "survey.errors"))}</p>` : "";
  return `<div class="error" role="alert">${title}<ul>${items}</ul></div>`;
}
