import type { CardContext } from "../cards/model/context.ts";
import { weeklyReviewCard } from "../cards/model/index.ts";
import type { Card } from "../cards/model/types.ts";
import type { OutboxItem } from "../core/ports.ts";
import { reviewOfPayload } from "../core/review/payload.ts";
import { REVIEW_KIND } from "../core/review/reviews.ts";

export const isReviewItem = (item: OutboxItem): boolean => item.kind === REVIEW_KIND;

/** The board page of a department's week, under the public URL the platforms open the board at. */
export const reviewPageUrl = (publicUrl: string, department: string, week: string): string =>
  `${publicUrl.replace(/\/+$/, "")}/board/review?department=${encodeURIComponent(department)}&week=${encodeURIComponent(week)}`;

/**
 * The weekly review card an outbox row asks for, or an outcome the dispatcher keeps (a row whose payload is
 * not a review can never be shown: retrying will not help).
 */
export function reviewCardOf(
  item: OutboxItem,
  ctx: CardContext,
  publicUrl: string | undefined,
): { card: Card } | { error: string } {
  const review = reviewOfPayload(item.payload);
  if (!review) return { error: `outbox row ${item.key} does not carry a weekly review` };
  const pageUrl = publicUrl ? reviewPageUrl(publicUrl, review.department, review.week) : undefined;
  return { card: weeklyReviewCard(review, ctx, pageUrl ? { pageUrl } : {}) };
}
