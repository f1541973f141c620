import { z } from "zod";
import type { TicketQuery } from "../../core/ports.ts";
import { findPhones } from "../../core/privacy/detect.ts";
import { PRIORITIES, STATUSES } from "../../core/ticket/schema.ts";
import { parseInput } from "../../core/validate.ts";

const listSchema = z
  .object({
    status: z
      .string()
      .transform((s) => s.split(",").filter(Boolean))
      .pipe(z.array(z.enum(STATUSES)))
      .optional(),
    department: z.string().max(100).optional(),
    owner: z.string().max(100).optional(),
    priority: z.enum(PRIORITIES).optional(),
    overdue: z.enum(["true", "false", "1", "0"]).optional(),
    q: z.string().max(200).optional(),
    archived: z.enum(["true", "false", "1", "0"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

const yes = (v: string | undefined) => v === "true" || v === "1";

/** GET /api/v1/tickets query string -> store query; a phone number in q becomes an exact contact match. */
export function parseListQuery(
  params: Record<string, string>,
  now: Date,
  phoneHash: (phone: string) => string,
): TicketQuery {
  const p = parseInput(listSchema, params, "query");
  const phone = p.q ? findPhones(p.q)[0] : undefined;
  return {
    status: p.status,
    department: p.department,
    owner: p.owner,
    priority: p.priority,
    overdueAt: yes(p.overdue) ? now.toISOString() : undefined,
    q: phone ? undefined : p.q?.trim() || undefined,
    phoneHash: phone ? phoneHash(phone) : undefined,
    includeArchived: yes(p.archived),
    limit: p.limit,
    cursor: p.cursor,
  };
}
