import { randomBytes } from "node:crypto";
import type { Directory } from "../directory/directory.ts";
import { mayEditArticles, mayUseArticles } from "../directory/permissions.ts";
import type { Person } from "../directory/schema.ts";
import { DomainError } from "../errors.ts";
import type { Clock, StoredDoc, TicketRecord, TicketStore } from "../ports.ts";
import { DocConflictError } from "../ports.ts";
import { notFound, unknownPerson } from "../ticket/refusals.ts";
import type { Caller } from "../ticket/service.ts";
import { parseInput } from "../validate.ts";
import { answerIntent } from "./answer.ts";
import {
  ARTICLE_ID,
  ARTICLES,
  type Article,
  articleDataSchema,
  createArticleSchema,
  editedArticle,
  newArticle,
  updateArticleSchema,
} from "./article.ts";
import { feedbackFactor, NO_TALLY, type Outcome, type Tally, withMark } from "./feedback.ts";
import { parseMarkdown, plainText } from "./markdown.ts";
import { articleChanged, articleNotFound, mayNotEdit, mayNotUse, noChat } from "./refusals.ts";
import { SearchIndex } from "./search-index.ts";
import { daysSince, isStale } from "./stale.ts";
import { chatOf, USES, type UseData, useDataSchema, useId } from "./uses.ts";
import type { ArticleQuery, ArticleView, Suggestion, TicketText } from "./views.ts";

export type KbStore = Pick<TicketStore, "get" | "getDoc" | "putDoc" | "listDocs">;

export interface KnowledgeBaseDeps {
  readonly store: KbStore;
  readonly directory: Directory;
  readonly clock: Clock;
  /** Articles not reviewed for longer are flagged (config knowledge.staleAfterDays). */
  readonly staleAfterDays: number;
  readonly newId?: () => string;
  /** A stored doc that does not parse is left out of the index and reported here. */
  readonly onInvalid?: (collection: string, id: string, problem: string) => void;
}

export const SUGGESTIONS = 3;
const EXCERPT = 120;
const MAX_RETRIES = 8;
const PAGE = 200;
/** A suggestion whose problem type is the ticket's ranks this much higher. */
const SAME_TYPE = 1.25;

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
const clipChars = (s: string, max: number) => {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join("")}…`;
};
const tagKey = (t: string) => t.normalize("NFKC").toLowerCase();

interface UseEntry {
  readonly rev: number;
  readonly data: UseData;
}

/**
 * The knowledge base: articles in the store's keyed docs, an in-memory search index rebuilt from them at
 * start and kept in step by every write made here, and each article's use on tickets (sent into the chat,
 * solved or not), which ranks it. A write is the store's guarded putDoc; memory follows only once it held.
 */
export class KnowledgeBase {
  readonly #d: KnowledgeBaseDeps;
  readonly #articles = new Map<string, Article>();
  readonly #excerpts = new Map<string, string>();
  readonly #index = new SearchIndex();
  readonly #tallies = new Map<string, Tally>();
  readonly #uses = new Map<string, Map<string, UseEntry>>();

  constructor(deps: KnowledgeBaseDeps) {
    this.#d = deps;
  }

  get size(): number {
    return this.#articles.size;
  }

  /** Reads every article and use from the store into memory (call once at start). Returns the articles read. */
  async load(): Promise<number> {
    for await (const doc of this.#all(ARTICLES)) {
      const parsed = articleDataSchema.safeParse(doc.data);
      if (!ARTICLE_ID.test(doc.id) || !parsed.success) {
        this.#d.onInvalid?.(ARTICLES, doc.id, parsed.success ? "bad id" : parsed.error.message);
        continue;
      }
      this.#remember({ ...parsed.data, id: doc.id, rev: doc.rev });
    }
    for await (const doc of this.#all(USES)) {
      const parsed = useDataSchema.safeParse(doc.data);
      if (!parsed.success) {
        this.#d.onInvalid?.(USES, doc.id, parsed.error.message);
        continue;
      }
      this.#rememberUse({ rev: doc.rev, data: parsed.data }, undefined);
    }
    return this.#articles.size;
  }

  async *#all(collection: string): AsyncGenerator<StoredDoc> {
    let cursor: string | undefined;
    do {
      const page = await this.#d.store.listDocs(collection, { limit: PAGE, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  #remember(article: Article): void {
    this.#articles.set(article.id, article);
    const text = plainText(parseMarkdown(article.body));
    this.#excerpts.set(article.id, clipChars(oneLine(text), EXCERPT));
    const problem = article.problemType ? ` ${article.problemType}` : "";
    this.#index.put(article.id, { title: article.title, tags: article.tags, body: `${text}${problem}` });
  }

  #rememberUse(entry: UseEntry, before: UseData | undefined): void {
    const { ticket, article } = entry.data;
    let onTicket = this.#uses.get(ticket);
    if (!onTicket) {
      onTicket = new Map();
      this.#uses.set(ticket, onTicket);
    }
    onTicket.set(article, entry);
    if (before?.outcome !== entry.data.outcome)
      this.#tallies.set(article, withMark(this.tally(article), before?.outcome, entry.data.outcome));
  }

  tally(id: string): Tally {
    return this.#tallies.get(id) ?? NO_TALLY;
  }

  #now(): Date {
    return this.#d.clock.now();
  }

  #person(id: string): Person {
    const p = this.#d.directory.person(id);
    if (!p)
      throw new DomainError(
        "unauthenticated",
        { "zh-CN": `通讯录中没有用户「${id}」`, en: `No person "${id}" in the directory` },
        { actor: id },
      );
    return p;
  }

  view(article: Article, score?: number): ArticleView {
    const now = this.#now();
    const tally = this.tally(article.id);
    return {
      ...article,
      ownerName: this.#d.directory.person(article.owner)?.name ?? article.owner,
      stale: isStale(article.reviewedAt, now, this.#d.staleAfterDays),
      reviewedDaysAgo: daysSince(article.reviewedAt, now),
      solved: tally.solved,
      unsolved: tally.unsolved,
      excerpt: this.#excerpts.get(article.id) ?? "",
      ...(score !== undefined ? { score: Number(score.toFixed(4)) } : {}),
    };
  }

  #article(id: string): Article {
    const a = ARTICLE_ID.test(id) ? this.#articles.get(id) : undefined;
    if (!a) throw articleNotFound(id);
    return a;
  }

  #staleDays(article: Article): number | undefined {
    const now = this.#now();
    return isStale(article.reviewedAt, now, this.#d.staleAfterDays)
      ? daysSince(article.reviewedAt, now)
      : undefined;
  }

  get(id: string): ArticleView {
    return this.view(this.#article(id));
  }

  /** Articles matching a query (relevance times feedback), or all of them, newest change first. */
  search(query: ArticleQuery): { items: ArticleView[]; total: number } {
    const q = query.q?.trim();
    const ranked: { article: Article; score?: number }[] = q
      ? this.#index
          .search(q)
          .map((hit) => ({
            article: this.#articles.get(hit.id)!,
            score: hit.score * feedbackFactor(this.tally(hit.id)),
          }))
          .sort((a, b) => b.score - a.score || (a.article.id < b.article.id ? -1 : 1))
      : [...this.#articles.values()]
          .sort((a, b) =>
            a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? -1 : 1,
          )
          .map((article) => ({ article }));
    const now = this.#now();
    const tag = query.tag ? tagKey(query.tag) : undefined;
    const matching = ranked.filter(
      ({ article }) =>
        (!tag || article.tags.some((t) => tagKey(t) === tag)) &&
        (!query.problemType || article.problemType === query.problemType) &&
        (query.stale === undefined ||
          isStale(article.reviewedAt, now, this.#d.staleAfterDays) === query.stale),
    );
    return {
      items: matching.slice(0, query.limit).map(({ article, score }) => this.view(article, score)),
      total: matching.length,
    };
  }

  async create(caller: Caller, body: unknown): Promise<ArticleView> {
    const input = parseInput(createArticleSchema, body);
    const actor = this.#person(caller.actor);
    if (!mayEditArticles(actor)) throw mayNotEdit(actor.id);
    if (input.owner && !this.#d.directory.person(input.owner)) throw unknownPerson("owner", input.owner);
    const data = newArticle(input, actor.id, this.#now().toISOString());
    for (let attempt = 0; ; attempt++) {
      const id = (this.#d.newId ?? randomId)();
      try {
        const doc = await this.#d.store.putDoc(ARTICLES, id, 0, data);
        const article = { ...data, id, rev: doc.rev };
        this.#remember(article);
        return this.view(article);
      } catch (e) {
        // An id already taken (only a poor id source would): draw another.
        if (!(e instanceof DocConflictError) || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  /** Changes an article the editor saw at `rev`; someone else's change in between is a conflict, not lost. */
  async update(caller: Caller, id: string, body: unknown): Promise<ArticleView> {
    const input = parseInput(updateArticleSchema, body);
    const actor = this.#person(caller.actor);
    if (!mayEditArticles(actor)) throw mayNotEdit(actor.id);
    const before = this.#article(id);
    if (input.owner && !this.#d.directory.person(input.owner)) throw unknownPerson("owner", input.owner);
    const { id: _id, rev: _rev, ...beforeData } = before;
    const data = editedArticle(beforeData, input, actor.id, this.#now().toISOString());
    try {
      const doc = await this.#d.store.putDoc(ARTICLES, id, input.rev, data);
      const article = { ...data, id, rev: doc.rev };
      this.#remember(article);
      return this.view(article);
    } catch (e) {
      if (!(e instanceof DocConflictError)) throw e;
      // Another instance (or tab) wrote it: learn its version, so the retry edits what is really there.
      const current = e.current ? articleDataSchema.safeParse(e.current.data) : undefined;
      if (e.current && current?.success) this.#remember({ ...current.data, id, rev: e.current.rev });
      throw articleChanged(id, e.current?.rev ?? 0);
    }
  }

  /** What happened to each article on a ticket. */
  usesOn(ticket: string): ReadonlyMap<string, UseData> {
    return new Map([...(this.#uses.get(ticket) ?? new Map<string, UseEntry>())].map(([k, v]) => [k, v.data]));
  }

  /**
   * The articles to suggest for a ticket: those already sent or solved on it first, then the most relevant
   * others (its text against the index, times feedback, same problem type ranked higher), three in all.
   * An article marked "not solved" on this ticket is not suggested for it again.
   */
  suggestionsFor(ticket: TicketText): Suggestion[] {
    const uses = this.#uses.get(ticket.number);
    const pinned = [...(uses?.values() ?? [])]
      .map((u) => u.data)
      .filter((u) => this.#articles.has(u.article) && u.outcome !== "unsolved" && (u.sentAt || u.outcome))
      .sort((a, b) => ((a.sentAt ?? a.markedAt ?? "") < (b.sentAt ?? b.markedAt ?? "") ? -1 : 1))
      .map((u) => u.article);
    const query = [ticket.description, ticket.problemTag, ticket.product].filter(Boolean).join(" ");
    const ranked = this.#index
      .search(query)
      .filter((hit) => !uses?.has(hit.id))
      .map((hit) => {
        const same = ticket.problemType && this.#articles.get(hit.id)?.problemType === ticket.problemType;
        return { id: hit.id, score: hit.score * feedbackFactor(this.tally(hit.id)) * (same ? SAME_TYPE : 1) };
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .map((x) => x.id);
    const now = this.#now();
    return [...pinned, ...ranked].slice(0, Math.max(SUGGESTIONS, pinned.length)).map((id) => {
      const a = this.#articles.get(id)!;
      const use = uses?.get(id)?.data;
      const tally = this.tally(id);
      return {
        id,
        title: a.title,
        excerpt: this.#excerpts.get(id) ?? "",
        stale: isStale(a.reviewedAt, now, this.#d.staleAfterDays),
        reviewedAt: a.reviewedAt,
        solved: tally.solved,
        unsolved: tally.unsolved,
        ...(use?.sentAt ? { sentAt: use.sentAt, sentBy: use.sentBy } : {}),
        ...(use?.outcome ? { outcome: use.outcome } : {}),
      };
    });
  }

  async #ticketFor(caller: Caller, number: string): Promise<{ actor: Person; record: TicketRecord }> {
    const actor = this.#person(caller.actor);
    const record = await this.#d.store.get(number);
    if (!record) throw notFound(number);
    if (!mayUseArticles(this.#d.directory, actor, record.state)) throw mayNotUse(actor.id, number);
    return { actor, record };
  }

  /** Rewrites the use of an article on a ticket with `change`, under the store's revision guard. */
  async #writeUse(
    ticket: string,
    article: string,
    change: (
      before: UseData | undefined,
    ) => { data: UseData; outbox?: Parameters<KbStore["putDoc"]>[4] } | undefined,
  ): Promise<{ data: UseData; changed: boolean }> {
    const id = useId(ticket, article);
    for (let attempt = 0; ; attempt++) {
      const doc = await this.#d.store.getDoc(USES, id);
      const parsed = doc ? useDataSchema.safeParse(doc.data) : undefined;
      const before = parsed?.success ? parsed.data : undefined;
      const next = change(before);
      if (!next) return { data: before!, changed: false };
      try {
        const saved = await this.#d.store.putDoc(USES, id, doc?.rev ?? 0, next.data, next.outbox);
        this.#rememberUse({ rev: saved.rev, data: next.data }, this.#uses.get(ticket)?.get(article)?.data);
        return { data: next.data, changed: true };
      } catch (e) {
        if (!(e instanceof DocConflictError) || attempt >= MAX_RETRIES) throw e;
      }
    }
  }

  /**
   * Sends an article's answer into the ticket's chat through the outbox, once: the use record and the outbox
   * row are one guarded write, so a click delivered twice (or two people tapping at once) sends one message.
   */
  async send(
    caller: Caller,
    number: string,
    articleId: string,
  ): Promise<{ record: TicketRecord; article: ArticleView; duplicate: boolean }> {
    const { actor, record } = await this.#ticketFor(caller, number);
    const article = this.#article(articleId);
    const chat = chatOf(record.state);
    if (!chat) throw noChat(number);
    const at = this.#now().toISOString();
    const { changed } = await this.#writeUse(number, article.id, (before) =>
      before?.sentAt
        ? undefined
        : {
            data: { ...(before ?? { ticket: number, article: article.id }), sentAt: at, sentBy: actor.id },
            outbox: [
              answerIntent(number, article, chat, { by: actor.id, at, staleDays: this.#staleDays(article) }),
            ],
          },
    );
    return { record, article: this.view(article), duplicate: !changed };
  }

  /** Records whether the article solved the ticket's problem; the latest mark counts, once per ticket. */
  async mark(
    caller: Caller,
    number: string,
    articleId: string,
    outcome: Outcome,
  ): Promise<{ record: TicketRecord; article: ArticleView }> {
    const { actor, record } = await this.#ticketFor(caller, number);
    const article = this.#article(articleId);
    const at = this.#now().toISOString();
    await this.#writeUse(number, article.id, (before) =>
      before?.outcome === outcome
        ? undefined
        : {
            data: {
              ...(before ?? { ticket: number, article: article.id }),
              outcome,
              markedAt: at,
              markedBy: actor.id,
            },
          },
    );
    return { record, article: this.view(article) };
  }
}

const randomId = (): string => `kb-${randomBytes(6).toString("hex")}`;
