import type { Article } from "./article.ts";
import type { Outcome } from "./feedback.ts";

/** An article as people see it: with its owner's name, its review state and its feedback. */
export interface ArticleView extends Article {
  readonly ownerName: string;
  readonly stale: boolean;
  readonly reviewedDaysAgo: number;
  readonly solved: number;
  readonly unsolved: number;
  readonly excerpt: string;
  /** Relevance to the query, feedback included; absent when listing without a query. */
  readonly score?: number;
}

/** An article suggested for a ticket, with what happened to it on that ticket. */
export interface Suggestion {
  readonly id: string;
  readonly title: string;
  readonly excerpt: string;
  readonly stale: boolean;
  readonly reviewedAt: string;
  readonly solved: number;
  readonly unsolved: number;
  readonly sentAt?: string;
  readonly sentBy?: string;
  readonly outcome?: Outcome;
}

/** What of a ticket the suggestions read. */
export interface TicketText {
  readonly number: string;
  readonly description: string;
  readonly problemType?: string;
  readonly problemTag?: string;
  readonly product?: string;
}

export interface ArticleQuery {
  readonly q?: string;
  readonly tag?: string;
  readonly problemType?: string;
  readonly stale?: boolean;
  readonly limit: number;
}
