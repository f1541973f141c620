import type { Text } from "./i18n/locale.ts";

export type DomainErrorCode =
  | "validation"
  | "not_found"
  | "forbidden"
  | "invalid_transition"
  | "conflict"
  | "rate_limited"
  | "unauthenticated";

/** A refused command: changes nothing, says why in every locale, and carries machine-readable details. */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly text: Text;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: DomainErrorCode, text: Text, details: Record<string, unknown> = {}) {
    super(text.en);
    this.name = "DomainError";
    this.code = code;
    this.text = text;
    this.details = details;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

export interface FieldIssue {
  field: string;
  message: string;
}

export function validationError(issues: FieldIssue[]): DomainError {
  const list = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
  const fields = issues.map((i) => i.field).join(", ");
  return new DomainError(
    "validation",
    { "zh-CN": `输入有误（${fields}）：${list}`, en: `Invalid input (${fields}): ${list}` },
    { issues },
  );
}
