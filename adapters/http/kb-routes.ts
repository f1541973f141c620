import { Hono } from "hono";
import { z } from "zod";
import { ARTICLE_LIMITS } from "../../core/kb/article.ts";
import { OUTCOMES } from "../../core/kb/feedback.ts";
import type { KnowledgeBase } from "../../core/kb/knowledge-base.ts";
import type { TicketService } from "../../core/ticket/service.ts";
import { parseInput } from "../../core/validate.ts";
import type { HttpEnv } from "./env.ts";
import { readJson } from "./read-json.ts";

const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const listSchema = z
  .object({
    q: z.string().max(200).optional(),
    tag: z.string().max(ARTICLE_LIMITS.tag).optional(),
    problemType: z.string().max(ARTICLE_LIMITS.problemType).optional(),
    stale: flag.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const articleRef = z.string().min(1).max(48);
const sendSchema = z.object({ article: articleRef }).strict();
const feedbackSchema = z.object({ article: articleRef, outcome: z.enum(OUTCOMES) }).strict();

/**
 * /api/v1/kb: the knowledge base. Anyone signed in reads and searches; knowledge editors, heads and admins
 * write; whoever may adjust a ticket sends an article into its chat and says whether it helped.
 */
export function kbRoutes(kb: KnowledgeBase, service: TicketService): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  const caller = (c: { get(k: "actor"): string; get(k: "via"): HttpEnv["Variables"]["via"] }) => ({
    actor: c.get("actor"),
    via: c.get("via"),
  });

  app.get("/articles", (c) => {
    const query = parseInput(listSchema, c.req.query(), "query");
    return c.json(kb.search(query));
  });

  app.post("/articles", async (c) => {
    const article = await kb.create(caller(c), await readJson(c));
    return c.json(article, 201, { Location: `/api/v1/kb/articles/${article.id}` });
  });

  app.get("/articles/:id", (c) => c.json(kb.get(c.req.param("id"))));

  app.patch("/articles/:id", async (c) =>
    c.json(await kb.update(caller(c), c.req.param("id"), await readJson(c))),
  );

  /** The board drawer's "Suggested answers": the same list the ticket card shows. */
  app.get("/tickets/:number/suggestions", async (c) => {
    const { state } = await service.get(c.req.param("number"));
    return c.json({ ticket: state.number, items: kb.suggestionsFor(state) });
  });

  app.post("/tickets/:number/send", async (c) => {
    const { article } = parseInput(sendSchema, await readJson(c));
    const sent = await kb.send(caller(c), c.req.param("number"), article);
    const { state } = sent.record;
    return c.json({
      ticket: state.number,
      article: sent.article.id,
      sent: !sent.duplicate,
      items: kb.suggestionsFor(state),
    });
  });

  app.post("/tickets/:number/feedback", async (c) => {
    const { article, outcome } = parseInput(feedbackSchema, await readJson(c));
    const marked = await kb.mark(caller(c), c.req.param("number"), article, outcome);
    return c.json({
      ticket: marked.record.state.number,
      article: marked.article,
      items: kb.suggestionsFor(marked.record.state),
    });
  });

  return app;
}
