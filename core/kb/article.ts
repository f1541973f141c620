import { z } from "zod";

/** Limits that keep one hostile write from bloating the store, a card or the index. */
export const ARTICLE_LIMITS = {
  title: 200,
  body: 20_000,
  tag: 40,
  tags: 20,
  problemType: 60,
  person: 100,
} as const;

export const ARTICLES = "kb-articles";

/** Article ids: what the store allows for doc ids, and short enough for a card button's value. */
export const ARTICLE_ID = /^[a-z0-9][a-z0-9-]{0,47}$/;

const tag = z
  .string()
  .trim()
  .min(1)
  .max(ARTICLE_LIMITS.tag)
  .regex(/^[^\s,]+(?: [^\s,]+)*$/, "a tag is words without commas");

/** A day (2026-05-31) or an instant; stored as an instant. */
const reviewedAt = z
  .string()
  .trim()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s)),
    {
      message: "expected a date such as 2026-05-31",
    },
  )
  .transform((s) => new Date(s).toISOString());

const fields = {
  title: z.string().trim().min(1).max(ARTICLE_LIMITS.title),
  body: z.string().trim().min(1).max(ARTICLE_LIMITS.body),
  tags: z.array(tag).max(ARTICLE_LIMITS.tags),
  problemType: z.string().trim().min(1).max(ARTICLE_LIMITS.problemType),
  owner: z.string().trim().min(1).max(ARTICLE_LIMITS.person),
  reviewedAt,
};

/** POST body: title and body required; tags, problem type, owner (default: the author) and review date optional. */
export const createArticleSchema = z
  .object({
    title: fields.title,
    body: fields.body,
    tags: fields.tags.default([]),
    problemType: fields.problemType.optional(),
    owner: fields.owner.optional(),
    reviewedAt: reviewedAt.optional(),
  })
  .strict();

/** PUT/PATCH body: the revision the editor saw, and the fields to change; `reviewed: true` stamps today. */
export const updateArticleSchema = z
  .object({
    rev: z.number().int().min(1),
    title: fields.title.optional(),
    body: fields.body.optional(),
    tags: fields.tags.optional(),
    problemType: fields.problemType.nullable().optional(),
    owner: fields.owner.optional(),
    reviewedAt: reviewedAt.optional(),
    reviewed: z.literal(true).optional(),
  })
  .strict();

export type CreateArticleInput = z.infer<typeof createArticleSchema>;
export type UpdateArticleInput = z.infer<typeof updateArticleSchema>;

/** An article as stored (the doc's data). */
export const articleDataSchema = z
  .object({
    title: fields.title,
    body: fields.body,
    tags: fields.tags,
    problemType: fields.problemType.optional(),
    owner: fields.owner,
    reviewedAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    createdBy: fields.owner,
    updatedAt: z.iso.datetime(),
    updatedBy: fields.owner,
  })
  .strict();

export type ArticleData = z.infer<typeof articleDataSchema>;

export interface Article extends ArticleData {
  readonly id: string;
  readonly rev: number;
}

/** Tags compared without case or repeats, kept in the author's spelling. */
export function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((t) => {
    const key = t.normalize("NFKC").toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A new article's data. */
export function newArticle(input: CreateArticleInput, actor: string, now: string): ArticleData {
  return {
    title: input.title,
    body: input.body,
    tags: uniqueTags(input.tags),
    ...(input.problemType ? { problemType: input.problemType } : {}),
    owner: input.owner ?? actor,
    reviewedAt: input.reviewedAt ?? now,
    createdAt: now,
    createdBy: actor,
    updatedAt: now,
    updatedBy: actor,
  };
}

/** The data after an edit: only the fields given change; `reviewed` stamps the review date now. */
export function editedArticle(
  before: ArticleData,
  input: UpdateArticleInput,
  actor: string,
  now: string,
): ArticleData {
  const { problemType: _drop, ...rest } = before;
  const problemType = input.problemType === undefined ? before.problemType : (input.problemType ?? undefined);
  return {
    ...rest,
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.tags !== undefined ? { tags: uniqueTags(input.tags) } : {}),
    ...(problemType ? { problemType } : {}),
    ...(input.owner !== undefined ? { owner: input.owner } : {}),
    reviewedAt: input.reviewed ? now : (input.reviewedAt ?? before.reviewedAt),
    updatedAt: now,
    updatedBy: actor,
  };
}
