import { z } from "zod";

/**
 * An SLA duration with its day part kept apart from its time part: `days` count whole working days on a
 * business calendar, `ms` counts business time (on a 24x7 calendar both are plain elapsed time).
 */
export interface Duration {
  readonly days: number;
  readonly ms: number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A hundred years: anything longer is a typo, and bounding it keeps calendar arithmetic bounded too. */
const MAX_DAYS = 36_500;
const MAX_MS = MAX_DAYS * DAY;

const EXAMPLES = "e.g. PT2H, P3D, PT5S or P1DT2H30M";

/** A duration string that is not an ISO-8601 duration closeloop accepts; the message names the value. */
export class DurationFormatError extends Error {
  readonly value: string;

  constructor(value: string, reason: string) {
    super(`invalid duration "${value}": ${reason}`);
    this.name = "DurationFormatError";
    this.value = value;
  }
}

const SHAPE = /^P(?:(\d+)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * Parses an ISO-8601 duration (PnDTnHnMnS; a decimal fraction is allowed on the last time component) into
 * `{ days, ms }`. Years, months and weeks are refused: their length in working days is a matter of policy.
 */
export function parseDuration(value: string): Duration {
  const text = value.trim().toUpperCase();
  if (text.startsWith("-")) throw new DurationFormatError(value, "negative durations are not allowed");
  const match = SHAPE.exec(text);
  if (!match) {
    if (/^P[^T]*\d[YMW]/.test(text)) {
      throw new DurationFormatError(
        value,
        "years, months and weeks are not supported; write days (P5D) or hours (PT40H)",
      );
    }
    if (/^P\d+[.,]\d*D/.test(text)) throw new DurationFormatError(value, "days must be whole");
    throw new DurationFormatError(value, `expected an ISO-8601 duration, ${EXAMPLES}`);
  }
  if (text.endsWith("T"))
    throw new DurationFormatError(value, "T must be followed by hours, minutes or seconds");
  const [, d, h, m, s] = match;
  if (d === undefined && h === undefined && m === undefined && s === undefined) {
    throw new DurationFormatError(value, `it has no component, ${EXAMPLES}`);
  }
  const timeParts = [h, m, s];
  const lastPresent = timeParts.reduce((last, part, i) => (part === undefined ? last : i), -1);
  timeParts.forEach((part, i) => {
    if (part !== undefined && /[.,]/.test(part) && i !== lastPresent) {
      throw new DurationFormatError(value, "only the last component may have a fraction");
    }
  });

  const days = d === undefined ? 0 : Number(d);
  const exact = component(h) * HOUR + component(m) * MINUTE + component(s) * SECOND;
  const ms = Math.round(exact);
  if (Math.abs(exact - ms) > 1e-6) throw new DurationFormatError(value, "it is finer than a millisecond");
  if (days > MAX_DAYS || ms > MAX_MS) throw new DurationFormatError(value, "it is longer than 100 years");
  return { days, ms };
}

function component(part: string | undefined): number {
  return part === undefined ? 0 : Number(part.replace(",", "."));
}

/** Formats a duration back to ISO-8601: `{ days: 1, ms: 9_000_000 }` -> "P1DT2H30M"; zero -> "PT0S". */
export function formatDuration(duration: Duration): string {
  const { days, ms } = duration;
  if (!Number.isSafeInteger(days) || days < 0 || !Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`expected whole, non-negative days and ms, got days=${days} ms=${ms}`);
  }
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const millis = ms % MINUTE;
  let time = "";
  if (hours > 0) time += `${hours}H`;
  if (minutes > 0) time += `${minutes}M`;
  if (millis > 0) {
    const whole = Math.floor(millis / SECOND);
    const fraction = millis % SECOND;
    time +=
      fraction === 0 ? `${whole}S` : `${whole}.${String(fraction).padStart(3, "0").replace(/0+$/, "")}S`;
  }
  if (days === 0 && time === "") return "PT0S";
  return `P${days > 0 ? `${days}D` : ""}${time === "" ? "" : `T${time}`}`;
}

/** A config value holding an ISO-8601 duration string; the parsed value stays a string. */
export const durationStringSchema = z.string().superRefine((value, ctx) => {
  try {
    parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: reasonOf(error, value) });
  }
});

/** A config value holding an ISO-8601 duration string, parsed to `{ days, ms }`. */
export const durationSchema = z.string().transform((value, ctx): Duration => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: reasonOf(error, value) });
    return z.NEVER;
  }
});

function reasonOf(error: unknown, value: string): string {
  if (error instanceof DurationFormatError) return error.message;
  return `invalid duration "${value}"`;
}
