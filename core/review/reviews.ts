import { createHash } from "node:crypto";
import type { Directory } from "../directory/directory.ts";
import type { Clock, OutboxIntent, TicketRecord, TicketStore } from "../ports.ts";
import { DocConflictError } from "../ports.ts";
import type { TicketState } from "../ticket/state.ts";
import { computeWeeklyReview, isEmptyReview, type WeeklyReview } from "./review.ts";
import { latestSlot, reviewedWeek, type WeeklySlot, weekRange } from "./week.ts";

/** Where a department's review of a week is recorded once decided (sent, or skipped as empty). */
export const REVIEWS = "weekly_reviews";
/** The outbox kind adapters render as the weekly review card. */
export const REVIEW_KIND = "weekly_review";

export interface SentReview {
  readonly department: string;
  readonly week: string;
  readonly head: string;
  /** The slot that decided it, and when. */
  readonly slot: string;
  readonly decidedAt: string;
  /** Empty weeks are recorded too, so they are decided once, but nothing is sent. */
  readonly sent: boolean;
}

export interface WeeklyReviewsDeps {
  readonly store: Pick<TicketStore, "list" | "getDoc" | "putDoc">;
  readonly directory: Directory;
  readonly clock: Clock;
  /** The business calendar's time zone: weeks and the slot are read there. */
  readonly timeZone: string;
  readonly slot: WeeklySlot;
  readonly lowScore: number;
  readonly businessMs: (t: TicketState, from: Date, to: Date) => number;
}

/** Doc ids allow few characters; a department id outside them is hashed (the doc keeps the real id). */
const safe = (id: string) =>
  /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : createHash("sha256").update(id).digest("hex").slice(0, 32);
export const reviewDocId = (week: string, department: string): string => `${week}.${safe(department)}`;

/** The outbox row of one review: its key names the week and the department, so it is queued once. */
export function reviewIntent(review: WeeklyReview, head: string): OutboxIntent {
  return {
    key: `${REVIEW_KIND}:${review.week}:${review.department}`,
    kind: REVIEW_KIND,
    recipient: head,
    ticket: `review:${review.week}:${review.department}`,
    payload: { review },
  };
}

/**
 * Weekly reviews per department: computed from the tickets on demand (the board page), and sent to each head
 * once per week. "Once" is the store's: the decision is a doc written at revision 0 together with the outbox
 * row, so a second instance, a second run or a restart finds the doc (or loses the write) and sends nothing.
 */
export class WeeklyReviews {
  readonly #d: WeeklyReviewsDeps;

  constructor(deps: WeeklyReviewsDeps) {
    this.#d = deps;
  }

  get timeZone(): string {
    return this.#d.timeZone;
  }

  async #departmentTickets(department: string): Promise<TicketRecord[]> {
    const out: TicketRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#d.store.list({ department, includeArchived: true, limit: 500, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async compute(department: string, week: string): Promise<WeeklyReview> {
    return computeWeeklyReview(await this.#departmentTickets(department), {
      department,
      range: weekRange(week, this.#d.timeZone),
      now: this.#d.clock.now(),
      timeZone: this.#d.timeZone,
      businessMs: this.#d.businessMs,
      lowScore: this.#d.lowScore,
    });
  }

  async sent(department: string, week: string): Promise<SentReview | undefined> {
    const doc = await this.#d.store.getDoc(REVIEWS, reviewDocId(week, department));
    if (!doc) return undefined;
    const { review: _review, ...decided } = doc.data as unknown as SentReview & { review?: unknown };
    return decided;
  }

  /** The week the latest slot reviews: the one a head has (or is about to have) in chat. */
  currentWeek(): string {
    return reviewedWeek(latestSlot(this.#d.clock.now(), this.#d.slot, this.#d.timeZone), this.#d.timeZone);
  }

  /** Sends every review the latest slot owes that no one has decided yet; returns how many were queued. */
  async sendDue(): Promise<number> {
    const now = this.#d.clock.now();
    const slot = latestSlot(now, this.#d.slot, this.#d.timeZone);
    const week = reviewedWeek(slot, this.#d.timeZone);
    let queued = 0;
    for (const department of this.#d.directory.departments()) {
      const id = reviewDocId(week, department.id);
      if (await this.#d.store.getDoc(REVIEWS, id)) continue;
      const review = await this.compute(department.id, week);
      const sent = !isEmptyReview(review);
      const decided: SentReview = {
        department: department.id,
        week,
        head: department.head,
        slot: slot.toISOString(),
        decidedAt: now.toISOString(),
        sent,
      };
      try {
        await this.#d.store.putDoc(
          REVIEWS,
          id,
          0,
          { ...decided, ...(sent ? { review } : {}) },
          sent ? [reviewIntent(review, department.head)] : [],
        );
        if (sent) queued += 1;
      } catch (e) {
        // Another instance decided this one first: it sent it (or skipped it), so nothing is left to do.
        if (!(e instanceof DocConflictError)) throw e;
      }
    }
    return queued;
  }
}
