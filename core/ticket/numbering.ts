const formats = new Map<string, Intl.DateTimeFormat>();

/** The month a ticket is numbered in, as yyyyMM in the deployment's timezone. */
export function periodOf(at: Date, timeZone: string): string {
  // Making a DateTimeFormat costs far more than using one: one per zone, kept
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const year = parts.find((p) => p.type === "year")?.value;
  const month = parts.find((p) => p.type === "month")?.value;
  return `${year}${month}`;
}

/** {prefix}{yyyyMM}{seq}, the sequence padded to at least four digits. */
export function formatNumber(prefix: string, period: string, seq: number): string {
  return `${prefix}${period}${String(seq).padStart(4, "0")}`;
}

export const NUMBER_PATTERN = /^[A-Z]{1,8}\d{6}\d{4,}$/;
