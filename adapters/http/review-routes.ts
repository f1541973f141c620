import { Hono } from "hono";
import { z } from "zod";
import type { Directory } from "../../core/directory/directory.ts";
import { DomainError } from "../../core/errors.ts";
import { mayReadReview, reviewableDepartments } from "../../core/review/permissions.ts";
import type { WeeklyReviews } from "../../core/review/reviews.ts";
import { isWeek, previousWeek } from "../../core/review/week.ts";
import { parseInput } from "../../core/validate.ts";
import type { HttpEnv } from "./env.ts";

const reviewQuery = z
  .object({
    department: z.string().trim().min(1).max(100).optional(),
    week: z.string().trim().refine(isWeek, 'expected an ISO week such as "2026-W47"').optional(),
  })
  .strict();

/**
 * GET /api/v1/reviews/weekly?department=&week=: a department's weekly review, computed from the tickets now,
 * with whether (and when) it went to the head. For the department's head, the heads above, and admins.
 */
export function reviewRoutes(reviews: WeeklyReviews, directory: Directory): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();

  app.get("/weekly", async (c) => {
    const q = parseInput(reviewQuery, c.req.query(), "query");
    const actor = directory.person(c.get("actor"))!;
    if (q.department !== undefined && !directory.department(q.department))
      throw new DomainError(
        "validation",
        {
          "zh-CN": `department：没有部门「${q.department}」`,
          en: `department: no department "${q.department}"`,
        },
        { issues: [{ field: "query.department", message: `no department "${q.department}"` }] },
      );
    const departments = reviewableDepartments(directory, actor);
    const department = q.department ?? departments[0];
    if (department === undefined || !mayReadReview(directory, actor, department))
      throw new DomainError(
        "forbidden",
        {
          "zh-CN": "每周复盘只对该部门负责人、上级负责人和管理员开放",
          en: "A weekly review is for the department's head, the heads above it, and admins",
        },
        { actor: actor.id, ...(department ? { department } : {}) },
      );
    const week = q.week ?? reviews.currentWeek();
    const [review, sent] = await Promise.all([
      reviews.compute(department, week),
      reviews.sent(department, week),
    ]);
    return c.json({
      department,
      week,
      previousWeek: previousWeek(week),
      timeZone: reviews.timeZone,
      departments,
      sent: sent ?? null,
      review,
    });
  });

  return app;
}
