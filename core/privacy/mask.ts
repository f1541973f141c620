import { normalisePhone } from "./cipher.ts";

/** 13812345678 -> 138****5678; short numbers keep only their last two digits. */
export function maskPhone(raw: string): string {
  const digits = normalisePhone(raw).replace(/\D/g, "");
  if (digits.length >= 7) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length <= 2) return "*".repeat(digits.length);
  return `${"*".repeat(digits.length - 2)}${digits.slice(-2)}`;
}
