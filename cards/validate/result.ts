import type { z } from "zod";

/** What a validator found: nothing means valid. */
export interface Validation {
  readonly ok: boolean;
  readonly errors: readonly string[];
}

export const validation = (errors: readonly string[]): Validation => ({ ok: errors.length === 0, errors });

export function zodErrors(error: z.ZodError | undefined): string[] {
  return (error?.issues ?? []).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
}
