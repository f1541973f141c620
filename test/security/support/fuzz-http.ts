import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { commandSchemas } from "../../../core/ticket/commands.ts";
import { createTicketSchema } from "../../../core/ticket/schema.ts";
import { FUZZ_RUNS, tally } from "./ledger.ts";
import type { SecurityWorld } from "./world.ts";

const runs = { numRuns: FUZZ_RUNS };

const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "__proto__",
    "constructor",
    "../",
    "%00",
    "%",
    "a".repeat(3000),
  ),
);
const json = fc.jsonValue({ maxDepth: 4 });
const encodable = (s: string) => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};
/** Bodies that look like a ticket but are wrong somewhere: types, unknown keys, sizes, prototype keys. */
const nearTicket = fc.record(
  {
    description: fc.oneof(text, json),
    customer: fc.oneof(
      json,
      fc.record({ name: fc.oneof(text, json), phone: fc.oneof(text, json) }, { requiredKeys: [] }),
    ),
    priority: fc.oneof(text, fc.constantFrom("urgent", "normal", "low", "URGENT")),
    department: fc.oneof(text, fc.constantFrom("tech", "billing", "nope")),
    owner: fc.oneof(text, fc.constantFrom("eng-liu", "eng-bill", "ghost")),
    watchers: fc.oneof(json, fc.array(text, { maxLength: 3 })),
    evidence: fc.oneof(json, fc.array(text, { maxLength: 3 })),
    demand: fc.oneof(json, fc.array(text, { maxLength: 3 })),
    origin: fc.oneof(
      json,
      fc.record({ platform: text, chatId: text, messageId: text }, { requiredKeys: [] }),
    ),
    __proto__: json,
    extra: json,
  },
  { requiredKeys: [] },
);

let w: SecurityWorld;

/** A refused answer: a 4xx with the API's JSON error, and nothing written. */
async function refusedWithout<T extends { status: number; body: unknown; text: string }>(
  category: string,
  send: () => Promise<T>,
): Promise<T> {
  const t = tally(category);
  t.tried++;
  const mark = w.spy.mark();
  const res = await send();
  expect(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
  expect((res.body as { error?: { code?: unknown } })?.error?.code, res.text.slice(0, 300)).toEqual(
    expect.any(String),
  );
  const writes = w.spy.since(mark);
  t.written += writes.length;
  expect(writes).toEqual([]);
  t.refused++;
  return res;
}

/**
 * Issue 11, part 2 (HTTP): the API's JSON bodies, path segments and query strings, the board's API and
 * sign-in, fed random and malformed input: answered 4xx with a JSON error naming the problem, never a 500,
 * and a refused request writes nothing.
 */
export function describeHttpFuzz(world: () => SecurityWorld): void {
  beforeAll(() => {
    w = world();
  });
  describe("POST /api/v1/tickets", () => {
    it("refuses every body that is not a ticket, with 400, writing nothing", async () => {
      const body = fc.oneof(json, nearTicket).filter((b) => !createTicketSchema.safeParse(b).success);
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          await refusedWithout("fuzz:api-create", () =>
            w.call("POST", "/api/v1/tickets", { as: "agent-li", body: JSON.stringify(b) }),
          );
        }),
        runs,
      );
    });

    it("refuses text that is not JSON, huge bodies and deep nesting", async () => {
      await fc.assert(
        fc.asyncProperty(
          text.filter((s) => {
            try {
              JSON.parse(s);
              return false;
            } catch {
              return s.trim() !== "";
            }
          }),
          async (raw) => {
            const res = await refusedWithout("fuzz:api-create", () =>
              w.call("POST", "/api/v1/tickets", { as: "agent-li", body: raw }),
            );
            expect(res.status).toBe(400);
          },
        ),
        runs,
      );
      for (const raw of [
        "[".repeat(20_000),
        `${"[".repeat(5000)}${"]".repeat(5000)}`,
        `{"description":${"[".repeat(5000)}1${"]".repeat(5000)}}`,
        JSON.stringify({ description: "x".repeat(70_000) }),
        '{"description":"新工单","__proto__":{"admin":true}}',
        '{"description":"新工单","constructor":{"prototype":{"admin":true}}}',
        '{"description":"a","description":{"x":1}}',
        "\ufeff{}",
      ])
        await refusedWithout("fuzz:api-create", () =>
          w.call("POST", "/api/v1/tickets", {
            as: "agent-li",
            body: raw,
            headers: { "content-type": "application/json" },
          }),
        );
      // Other content types carrying JSON are read as JSON; the strict schema still decides.
      await refusedWithout("fuzz:api-create", () =>
        w.call("POST", "/api/v1/tickets", {
          as: "agent-li",
          body: "description=x",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
      );
    });
  });

  describe("POST /api/v1/tickets/:number/:command", () => {
    it("refuses every malformed command body, and every unknown command or ticket, writing nothing", async () => {
      const ticket = await w.ticket("in_progress");
      const names = Object.keys(commandSchemas) as (keyof typeof commandSchemas)[];
      const bodies = fc
        .tuple(
          fc.constantFrom(...names),
          fc.oneof(
            json,
            fc.record(
              {
                version: fc.oneof(fc.integer(), fc.double(), text, fc.constant(ticket.state.version)),
                text: fc.oneof(text, json),
                solution: fc.oneof(text, json),
                reason: fc.oneof(text, json),
                owner: fc.oneof(text, fc.constantFrom("eng-sun", "ghost")),
                result: fc.oneof(text, fc.constantFrom("confirmed", "disputed")),
                resolutionScore: fc.oneof(fc.integer(), text),
                priority: fc.oneof(text, fc.constantFrom("urgent")),
                bogus: json,
              },
              { requiredKeys: [] },
            ),
          ),
        )
        .filter(([name, b]) => !commandSchemas[name].safeParse(b ?? {}).success);
      await fc.assert(
        fc.asyncProperty(bodies, async ([name, b]) => {
          await refusedWithout("fuzz:api-command", () =>
            w.call("POST", `/api/v1/tickets/${ticket.state.number}/${name}`, {
              as: "admin",
              body: JSON.stringify(b),
            }),
          );
        }),
        runs,
      );
      const segment = fc.oneof(
        text.filter(encodable),
        fc.constantFrom("..", ".", "%2e%2e", "%2F", "claim%00", "CS2026110001", "CS99999999999999"),
      );
      await fc.assert(
        fc.asyncProperty(segment, segment, async (number, command) => {
          const known = Object.hasOwn(commandSchemas, command) && number === ticket.state.number;
          if (known) return;
          const path = `/api/v1/tickets/${encodeURIComponent(number)}/${encodeURIComponent(command)}`;
          await refusedWithout("fuzz:api-command", () =>
            w.call("POST", path, { as: "admin", body: { version: 1 } }),
          );
        }),
        runs,
      );
      expect((await w.cl.service.get(ticket.state.number)).state.seq).toBe(ticket.state.seq);
    });
  });

  describe("queries", () => {
    const query = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          "status",
          "department",
          "owner",
          "priority",
          "overdue",
          "q",
          "archived",
          "limit",
          "cursor",
          "type",
          "mine",
          "weeks",
        ),
        text,
      ),
      fc.oneof(text, fc.constantFrom("pending,resolved", "true", "1", "0", "-1", "1e9", "NaN", "200", "201")),
      { maxKeys: 5 },
    );
    const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

    it("the ticket list, the board, the late view and the stats answer 200 or 400, never 500", async () => {
      await w.ticket("pending");
      const t = tally("fuzz:queries");
      await fc.assert(
        fc.asyncProperty(
          query,
          fc.constantFrom("/api/v1/tickets", "/api/v1/board", "/api/v1/board/late", "/api/v1/stats"),
          async (q, path) => {
            t.tried++;
            const res = await w.call("GET", `${path}?${qs(q)}`, { as: "head-tech" });
            expect([200, 400], `${path}?${qs(q)}: ${res.text.slice(0, 200)}`).toContain(res.status);
            if (res.status === 400) {
              t.refused++;
              expect(res.body.error.code).toBe("validation");
            }
          },
        ),
        runs,
      );
    });

    it("a ticket or tile that does not exist is a 404, whatever its name", async () => {
      await fc.assert(
        fc.asyncProperty(
          text.filter((s) => s !== "" && encodable(s)),
          async (n) => {
            for (const path of [
              `/api/v1/tickets/${encodeURIComponent(n)}`,
              `/api/v1/board/tiles/${encodeURIComponent(n)}`,
            ]) {
              const res = await refusedWithout("fuzz:queries", () => w.call("GET", path, { as: "admin" }));
              expect(res.status).toBe(404);
            }
          },
        ),
        runs,
      );
    });
  });

  describe("board sign-in", () => {
    it("refuses any body that is not a sign-in, and any code no provider confirms, writing nothing", async () => {
      const body = fc.oneof(
        json,
        fc.record(
          {
            provider: fc.oneof(text, fc.constantFrom("sandbox", "teams", "feishu")),
            code: fc.oneof(text, json),
            framed: fc.oneof(fc.boolean(), json),
          },
          { requiredKeys: [] },
        ),
      );
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const o = (b && typeof b === "object" ? b : {}) as { provider?: unknown; code?: unknown };
          // A sandbox sign-in as a real person is a genuine sign-in; everything else must be refused.
          if (
            o.provider === "sandbox" &&
            typeof o.code === "string" &&
            w.cl.directory.person(o.code) &&
            o.code !== "api"
          )
            return;
          const res = await refusedWithout("fuzz:board-session", () =>
            w.call("POST", "/board/session", { body: JSON.stringify(b) }),
          );
          expect([400, 401]).toContain(res.status);
          expect(res.headers.get("set-cookie")).toBeNull();
        }),
        runs,
      );
    });
  });

  describe("list cursors", () => {
    it("a cursor this server did not give out is a 400 naming it, on the list and nowhere a 500", async () => {
      for (const cursor of ["", " ", "abc", "WzEsMl0", Buffer.from('["x",1]').toString("base64url")]) {
        const res = await refusedWithout("fuzz:queries", () =>
          w.call("GET", `/api/v1/tickets?${new URLSearchParams({ cursor })}`, { as: "admin" }),
        );
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body.error.details)).toContain("cursor");
      }
      // The cursor it did give out still pages.
      await w.ticket("pending");
      await w.ticket("pending");
      const first = await w.call("GET", "/api/v1/tickets?limit=1", { as: "admin" });
      const next = await w.call("GET", `/api/v1/tickets?limit=1&cursor=${first.body.nextCursor}`, {
        as: "admin",
      });
      expect(next.status).toBe(200);
      expect(next.body.items[0].number).not.toBe(first.body.items[0].number);
    });
  });
}
