import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TicketQuery, TicketRecord, TicketStore } from "../../core/ports.ts";
import { DocConflictError, DuplicateOriginError, StaleWriteError } from "../../core/ports.ts";
import { fold } from "../../core/ticket/state.ts";
import {
  assigned,
  at,
  commented,
  deadlinesSet,
  intent,
  makeCreated,
  numberOf,
  reopened,
  resolved,
  sealed,
  stage,
  stageFired,
  started,
  T0,
  ticket,
} from "../support/ticket-fixtures.ts";

/** A store on fresh data, and a way to close it and open another on the same data. */
export interface StoreFixture {
  /** The store currently open (replaced by `reopen`). */
  readonly store: TicketStore;
  /** Closes the current store and opens a new one on the same data. */
  reopen(): Promise<TicketStore>;
  /** Closes the store and removes its data. */
  dispose(): Promise<void>;
}

const P = "202503";
const FAR_FUTURE = "2999-01-01T00:00:00.000Z";

const numbers = (records: readonly TicketRecord[]): string[] => records.map((r) => r.state.number);

async function listAll(store: TicketStore, query: Omit<TicketQuery, "limit" | "cursor">, limit = 3) {
  const out: TicketRecord[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await store.list({ ...query, limit, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error("paging did not end");
}

/** The behaviour every TicketStore must have; run it against each implementation. */
export function describeStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  describe(`TicketStore contract: ${name}`, () => {
    let fx: StoreFixture;
    const store = () => fx.store;

    beforeEach(async () => {
      fx = await makeStore();
    });
    afterEach(async () => {
      await fx.dispose();
    });

    describe("create and get", () => {
      it("numbers from the period's counter and stores the state folded from the events", async () => {
        const record = await store().create(P, ticket(P, { after: () => [assigned(at(1), "bob")] }));
        expect(record.state.number).toBe(numberOf(P, 1));
        expect(record.state.seq).toBe(2);
        expect(record.state.owner).toBe("bob");
        expect(record.state).toEqual(fold(record.events));
        const got = await store().get(record.state.number);
        expect(got).toEqual(record);
        expect(got!.state).toEqual(fold(got!.events));
      });

      it("counts each period on its own and never reuses a number", async () => {
        const a1 = await store().create(P, ticket(P));
        const b1 = await store().create("202504", ticket("202504"));
        const a2 = await store().create(P, ticket(P));
        expect([a1, b1, a2].map((r) => r.state.number)).toEqual([
          numberOf(P, 1),
          numberOf("202504", 1),
          numberOf(P, 2),
        ]);
      });

      it("refuses a second ticket from the same chat message with the first one", async () => {
        const origin = { platform: "feishu" as const, chatId: "oc_1", messageId: "om_1" };
        const first = await store().create(P, ticket(P, { created: { origin } }));
        const again = store().create(P, ticket(P, { created: { origin } }));
        await expect(again).rejects.toBeInstanceOf(DuplicateOriginError);
        await expect(again).rejects.toMatchObject({ existing: { state: { number: first.state.number } } });
        const other = await store().create(
          P,
          ticket(P, { created: { origin: { ...origin, messageId: "om_2" } } }),
        );
        expect(other.state.number).toBe(numberOf(P, 2));
        const noMessage = { platform: "feishu" as const, chatId: "oc_1" };
        await store().create(P, ticket(P, { created: { origin: noMessage } }));
        await store().create(P, ticket(P, { created: { origin: noMessage } }));
        const reopened = await fx.reopen();
        await expect(reopened.create(P, ticket(P, { created: { origin } }))).rejects.toBeInstanceOf(
          DuplicateOriginError,
        );
      });

      it("returns undefined for an unknown number", async () => {
        expect(await store().get("T2025039999")).toBeUndefined();
      });

      it("refuses a ticket whose first event is not `created`, storing nothing", async () => {
        await expect(
          store().create(P, (seq) => ({ events: [started(at(1))], outbox: [intent(`bad-${seq}`)] })),
        ).rejects.toThrow();
        expect(await store().dueOutbox(FAR_FUTURE, 10)).toEqual([]);
        const again = await store().create(P, ticket(P));
        expect(await store().get(again.state.number)).toEqual(again);
      });

      it("gives 200 concurrent creates 200 distinct numbers 1..200, and continues after a reopen", async () => {
        const records = await Promise.all(Array.from({ length: 200 }, () => store().create(P, ticket(P))));
        const seqs = records.map((r) => Number(r.state.number.slice(-4))).sort((a, b) => a - b);
        expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        expect(new Set(numbers(records)).size).toBe(200);
        for (const r of records.slice(0, 5)) expect(await store().get(r.state.number)).toEqual(r);
        await fx.reopen();
        const next = await store().create(P, ticket(P));
        expect(next.state.number).toBe(numberOf(P, 201));
        expect((await listAll(store(), {}, 50)).length).toBe(201);
      });
    });

    describe("append", () => {
      it("appends at the expected seq and returns the new folded state", async () => {
        const created = await store().create(P, ticket(P, { created: { owner: "alice" } }));
        const n = created.state.number;
        const after = await store().append(n, 1, [started(at(5)), commented(at(6), "on it")]);
        expect(after.state.seq).toBe(3);
        expect(after.state.status).toBe("in_progress");
        expect(after.state.firstResponseAt).toBe(at(5));
        expect(after.events).toEqual([...created.events, started(at(5)), commented(at(6), "on it")]);
        expect(after.state).toEqual(fold(after.events));
        expect(await store().get(n)).toEqual(after);
      });

      it("refuses an unknown ticket", async () => {
        await expect(store().append("T2025039999", 1, [started(at(1))])).rejects.toThrow();
      });

      it("refuses a stale expectedSeq with the current record, writing nothing", async () => {
        const created = await store().create(P, ticket(P));
        const n = created.state.number;
        const current = await store().append(n, 1, [started(at(1))]);
        const error = await store()
          .append(n, 1, [resolved(at(2))], [intent("stale-row")])
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StaleWriteError);
        expect((error as StaleWriteError).current).toEqual(current);
        expect(await store().get(n)).toEqual(current);
        expect(await store().dueOutbox(FAR_FUTURE, 10)).toEqual([]);
      });

      it("lets exactly one of several concurrent appends at the same seq win", async () => {
        const { state } = await store().create(P, ticket(P));
        const attempts = ["a", "b", "c", "d", "e"].map((who) =>
          store().append(state.number, 1, [commented(at(1), `from ${who}`)], [intent(`row-${who}`)]),
        );
        const results = await Promise.allSettled(attempts);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r) => r.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(4);
        for (const l of lost) expect((l as PromiseRejectedResult).reason).toBeInstanceOf(StaleWriteError);
        const final = await store().get(state.number);
        expect(final!.state.seq).toBe(2);
        expect(final).toEqual((won[0] as PromiseFulfilledResult<TicketRecord>).value);
        expect(await store().dueOutbox(FAR_FUTURE, 10)).toHaveLength(1);
      });

      it("refuses events that cannot follow the state (a second created)", async () => {
        const { state } = await store().create(P, ticket(P));
        await expect(store().append(state.number, 1, [makeCreated(state.number)])).rejects.toThrow();
        expect((await store().get(state.number))!.state.seq).toBe(1);
      });
    });

    describe("list", () => {
      const phone = "phone-hash-1";
      const typedPhone = "phone-hash-2";
      async function seed() {
        const s = store();
        const mk = (minutes: number, spec: Parameters<typeof ticket>[1]) =>
          s.create(P, (seq) => {
            const b = ticket(P, spec)(seq);
            const [created, ...rest] = b.events;
            return { ...b, events: [{ ...created!, at: at(minutes) }, ...rest] };
          });
        const a = await mk(0, {
          created: { customer: { name: "Wang Fang", type: "vip", tags: [], phone: sealed(phone) } },
        });
        const b = await mk(10, {
          created: { department: "sales", priority: "urgent", owner: "bob", description: "Invoice missing" },
          after: () => [deadlinesSet(at(11), { firstResponse: at(30), resolution: at(600) })],
        });
        const c = await mk(20, {
          created: { owner: "carol", description: "Screen flickers" },
          after: () => [
            deadlinesSet(at(21), { firstResponse: at(40), resolution: at(120) }),
            started(at(22), "carol"),
          ],
        });
        const d = await mk(30, {
          created: { owner: "carol", priority: "low" },
          after: () => [
            deadlinesSet(at(31), { firstResponse: at(35), resolution: at(60) }),
            commented(at(32), "customer called from another number", [sealed(typedPhone)]),
            resolved(at(33)),
          ],
        });
        // same createdAt as d: the number breaks the tie
        const e = await mk(30, { created: { department: "sales" } });
        return { a, b, c, d, e };
      }

      it("orders newest first by createdAt, then number", async () => {
        const { a, b, c, d, e } = await seed();
        const page = await store().list({ limit: 50 });
        expect(numbers(page.items)).toEqual(numbers([e, d, c, b, a]));
        expect(page.nextCursor).toBeUndefined();
      });

      it("pages with an opaque cursor, visiting each ticket once", async () => {
        await seed();
        const extra = await Promise.all(Array.from({ length: 7 }, () => store().create(P, ticket(P))));
        const all = (await store().list({ limit: 100 })).items;
        expect(all).toHaveLength(12);
        const paged = await listAll(store(), {}, 5);
        expect(numbers(paged)).toEqual(numbers(all));
        const first = await store().list({ limit: 5 });
        expect(first.items).toHaveLength(5);
        expect(typeof first.nextCursor).toBe("string");
        expect(extra).toHaveLength(7);
      });

      it("filters by status, department, owner and priority", async () => {
        const { a, b, c, d, e } = await seed();
        const q = async (query: Omit<TicketQuery, "limit">) =>
          numbers((await store().list({ ...query, limit: 50 })).items);
        expect(await q({ status: ["resolved"] })).toEqual(numbers([d]));
        expect(await q({ status: ["pending", "in_progress"] })).toEqual(numbers([e, c, b, a]));
        expect(await q({ status: ["in_progress"] })).toEqual(numbers([c]));
        expect(await q({ department: "sales" })).toEqual(numbers([e, b]));
        expect(await q({ owner: "carol" })).toEqual(numbers([d, c]));
        expect(await q({ priority: "urgent" })).toEqual(numbers([b]));
        expect(await q({ department: "sales", priority: "urgent", owner: "bob" })).toEqual(numbers([b]));
        expect(await q({ department: "nobody" })).toEqual([]);
      });

      it("counts open tickets per owner in a department, as the status filter would list them", async () => {
        const { b } = await seed();
        const s = store();
        if (!s.openCountsByOwner) return;
        // a (no owner) and e (no owner) are not counted; c in progress counts for carol; d is resolved
        expect(await s.openCountsByOwner("support")).toEqual({ carol: 1 });
        expect(await s.openCountsByOwner("sales")).toEqual({ bob: 1 });
        await s.append(b.state.number, b.state.seq, [assigned(at(40), "dave", "sales")]);
        expect(await s.openCountsByOwner("sales")).toEqual({ dave: 1 });
        const moved = (await s.get(b.state.number))!;
        await s.append(moved.state.number, moved.state.seq, [started(at(41), "dave"), resolved(at(42))]);
        expect(await s.openCountsByOwner("sales")).toEqual({});
        expect(await (await fx.reopen()).openCountsByOwner?.("support")).toEqual({ carol: 1 });
      });

      it("finds overdue tickets: open first response without a response, or resolution, before the instant", async () => {
        const { b, c } = await seed();
        const q = async (overdueAt: string) => numbers((await store().list({ overdueAt, limit: 50 })).items);
        // b: first response due at 30 and nobody responded; c: responded at 22, resolution due at 120;
        // d: resolved, never overdue; a and e: no deadlines
        expect(await q(at(29))).toEqual([]);
        expect(await q(at(31))).toEqual(numbers([b]));
        expect(await q(at(45))).toEqual(numbers([b]));
        expect(await q(at(121))).toEqual(numbers([c, b]));
      });

      it("searches number, customer name and description case-insensitively, and phone hashes exactly", async () => {
        const { a, b, c, d } = await seed();
        const q = async (query: Omit<TicketQuery, "limit">) =>
          numbers((await store().list({ ...query, limit: 50 })).items);
        expect(await q({ q: "wang fang" })).toEqual(numbers([a]));
        expect(await q({ q: "INVOICE" })).toEqual(numbers([b]));
        expect(await q({ q: "flicker" })).toEqual(numbers([c]));
        expect(await q({ q: c.state.number.toLowerCase() })).toEqual(numbers([c]));
        expect(await q({ phoneHash: phone })).toEqual(numbers([a]));
        expect(await q({ phoneHash: typedPhone })).toEqual(numbers([d]));
        expect(await q({ phoneHash: "phone-hash" })).toEqual([]);
      });
    });

    describe("due SLA stages", () => {
      it("finds tickets whose next stage is due, earliest first, and the earliest instant of all", async () => {
        expect(await store().nextDueAt()).toBeUndefined();
        const warn = stage("warn-1", at(30));
        const breach = stage("breach-1", at(60), "resolution", "breach");
        const a = await store().create(
          P,
          ticket(P, { after: () => [deadlinesSet(at(0), {}, [breach, warn])] }),
        );
        const b = await store().create(
          P,
          ticket(P, { after: () => [deadlinesSet(at(0), {}, [stage("warn-2", at(20))])] }),
        );
        const none = await store().create(P, ticket(P));
        expect(await store().nextDueAt()).toBe(at(20));
        expect(await store().dueTickets(at(19), 10)).toEqual([]);
        expect(numbers(await store().dueTickets(at(45), 10))).toEqual(numbers([b, a]));
        expect(numbers(await store().dueTickets(at(45), 1))).toEqual(numbers([b]));
        // firing a stage moves the ticket to its next one
        const fired = await store().append(a.state.number, 2, [stageFired(at(31), warn)]);
        expect(fired.state.nextDueAt).toBe(at(60));
        expect(numbers(await store().dueTickets(at(45), 10))).toEqual(numbers([b]));
        await store().append(b.state.number, 2, [stageFired(at(21), stage("warn-2", at(20)))]);
        expect(await store().nextDueAt()).toBe(at(60));
        await fx.reopen();
        expect(await store().nextDueAt()).toBe(at(60));
        expect(await store().dueTickets(at(61), 10)).toEqual([fired]);
        expect(numbers(await store().dueTickets(at(6000), 10))).not.toContain(none.state.number);
      });

      it("keeps a resolved ticket with a stage still to fire where dueTickets finds it, archived or not", async () => {
        const survey = stage("survey-1", "2025-01-20T00:00:00.000Z", "survey");
        const t = await store().create(
          P,
          ticket(P, {
            after: () => [resolved("2025-01-10T00:00:00.000Z"), deadlinesSet(at(1), {}, [survey])],
          }),
        );
        await store().archive("2025-03-01T00:00:00.000Z");
        expect(await store().dueTickets("2025-01-21T00:00:00.000Z", 10)).toEqual([t]);
        expect(await store().nextDueAt()).toBe(survey.at);
        expect(await store().get(t.state.number)).toEqual(t);
      });
    });

    describe("outbox", () => {
      it("writes rows with the events, first due at notBefore or at once", async () => {
        const before = new Date(Date.now() - 1000).toISOString();
        const record = await store().create(
          P,
          ticket(P, {
            outbox: (n) => [
              intent("now", { ticket: n }),
              intent("later", { ticket: n, notBefore: "2030-01-01T00:00:00.000Z" }),
            ],
          }),
        );
        expect(await store().dueOutbox(before, 10)).toEqual([]);
        const due = await store().dueOutbox(new Date(Date.now() + 60_000).toISOString(), 10);
        expect(due.map((r) => r.key)).toEqual(["now"]);
        const row = due[0]!;
        expect(row).toMatchObject({ kind: "ticket_created", recipient: "bob", ticket: record.state.number });
        expect(row.payload).toEqual({ hello: "now" });
        expect(row.attempts).toBe(0);
        expect(row.nextAttemptAt).toBe(row.createdAt);
        expect(row.deliveredAt).toBeUndefined();
        const later = await store().dueOutbox("2030-01-01T00:00:00.000Z", 10);
        expect(later.map((r) => r.key).sort()).toEqual(["later", "now"]);
        expect(later.find((r) => r.key === "later")!.nextAttemptAt).toBe("2030-01-01T00:00:00.000Z");
      });

      it("ignores a second intent with a key it already has", async () => {
        const { state } = await store().create(P, ticket(P, { outbox: () => [intent("k1")] }));
        await store().append(
          state.number,
          1,
          [started(at(1))],
          [intent("k1", { payload: { hello: "again" } }), intent("k2"), intent("k2")],
        );
        const due = await store().dueOutbox(FAR_FUTURE, 10);
        expect(due.map((r) => r.key).sort()).toEqual(["k1", "k2"]);
        expect(due.find((r) => r.key === "k1")!.payload).toEqual({ hello: "k1" });
      });

      it("enqueues rows no ticket caused, once per key, durably, and wakes listeners", async () => {
        let heard = 0;
        store().onChange(() => {
          heard++;
        });
        expect(await store().enqueue([intent("in-1"), intent("in-2"), intent("in-1")])).toBe(2);
        expect(await store().enqueue([intent("in-2")])).toBe(0);
        expect(heard).toBe(1);
        const reopened = await fx.reopen();
        const due = await reopened.dueOutbox(FAR_FUTURE, 10);
        expect(due.map((r) => r.key).sort()).toEqual(["in-1", "in-2"]);
        await reopened.settleOutbox("in-1", { deliveredAt: at(5) });
        expect(await reopened.enqueue([intent("in-1")])).toBe(0);
      });

      it("limits due rows and settles delivery or a retry", async () => {
        await store().create(
          P,
          ticket(P, { outbox: () => [intent("a", { notBefore: T0 }), intent("b", { notBefore: at(1) })] }),
        );
        expect((await store().dueOutbox(FAR_FUTURE, 1)).map((r) => r.key)).toEqual(["a"]);

        await store().settleOutbox("a", { retryAt: at(10), error: "platform said 503" });
        const retried = (await store().dueOutbox(at(10), 10)).find((r) => r.key === "a")!;
        expect(retried.attempts).toBe(1);
        expect(retried.nextAttemptAt).toBe(at(10));
        expect(retried.lastError).toBe("platform said 503");
        expect((await store().dueOutbox(at(9), 10)).map((r) => r.key)).toEqual(["b"]);

        await store().settleOutbox("b", { deliveredAt: at(2) });
        expect((await store().dueOutbox(FAR_FUTURE, 10)).map((r) => r.key)).toEqual(["a"]);

        await fx.reopen();
        const afterReopen = await store().dueOutbox(FAR_FUTURE, 10);
        expect(afterReopen).toEqual([retried]);
      });
    });

    describe("onChange", () => {
      it("hears each durable write with the tickets it changed, and stops after unsubscribing", async () => {
        const heard: { number: string; seq: number }[][] = [];
        const off = store().onChange((changed) =>
          heard.push(changed.map((r) => ({ number: r.state.number, seq: r.state.seq }))),
        );
        const created = await store().create(P, ticket(P));
        expect(heard).toEqual([[{ number: created.state.number, seq: 1 }]]);
        await store().append(created.state.number, 1, [started(at(1))]);
        await store()
          .append(created.state.number, 1, [started(at(1))])
          .catch(() => undefined);
        expect(heard).toEqual([
          [{ number: created.state.number, seq: 1 }],
          [{ number: created.state.number, seq: 2 }],
        ]);
        off();
        await store().append(created.state.number, 2, [resolved(at(2))]);
        expect(heard).toHaveLength(2);
      });
    });

    describe("docs", () => {
      it("writes a doc at rev 1, then only over the revision read, and keeps it across reopen", async () => {
        expect(await store().getDoc("articles", "a-1")).toBeUndefined();
        const first = await store().putDoc("articles", "a-1", 0, { title: "退款流程", tags: ["refund"] });
        expect(first).toMatchObject({
          collection: "articles",
          id: "a-1",
          rev: 1,
          data: { title: "退款流程" },
        });
        await expect(store().putDoc("articles", "a-1", 0, { title: "again" })).rejects.toBeInstanceOf(
          DocConflictError,
        );
        const second = await store().putDoc("articles", "a-1", 1, { title: "Refunds" });
        expect(second.rev).toBe(2);
        const stale = await store()
          .putDoc("articles", "a-1", 1, { title: "lost update" })
          .catch((e: unknown) => e);
        expect(stale).toBeInstanceOf(DocConflictError);
        expect((stale as DocConflictError).current?.rev).toBe(2);
        await fx.reopen();
        expect((await store().getDoc("articles", "a-1"))?.data).toEqual({ title: "Refunds" });
      });

      it("lists a collection in id order, a page at a time, apart from other collections", async () => {
        for (const id of ["c", "a", "e", "b", "d"]) await store().putDoc("links", id, 0, { id });
        await store().putDoc("other", "a", 0, {});
        const first = await store().listDocs("links", { limit: 2 });
        expect(first.items.map((d) => d.id)).toEqual(["a", "b"]);
        const rest = await store().listDocs("links", { limit: 5, cursor: first.nextCursor! });
        expect(rest.items.map((d) => d.id)).toEqual(["c", "d", "e"]);
        expect(rest.nextCursor).toBeUndefined();
        expect((await store().listDocs("empty", { limit: 5 })).items).toEqual([]);
      });

      it("deletes only at the revision read, and writes a doc's outbox rows with it", async () => {
        await store().putDoc("hooks", "h1", 0, { url: "https://crm.example/x" }, [intent("doc-row")]);
        expect((await store().dueOutbox(FAR_FUTURE, 10)).map((r) => r.key)).toEqual(["doc-row"]);
        await expect(store().deleteDoc("hooks", "h1", 2)).rejects.toBeInstanceOf(DocConflictError);
        await store().deleteDoc("hooks", "h1", 1);
        expect(await store().getDoc("hooks", "h1")).toBeUndefined();
        await fx.reopen();
        expect(await store().getDoc("hooks", "h1")).toBeUndefined();
        expect((await store().putDoc("hooks", "h1", 0, {})).rev).toBe(1);
      });

      it("refuses collection names and ids it cannot keep safely", async () => {
        await expect(store().putDoc("Bad Name", "x", 0, {})).rejects.toThrow(/collection/);
        await expect(store().putDoc("ok", "../x", 0, {})).rejects.toThrow(/doc id/);
        await expect(store().getDoc("ok", "")).rejects.toThrow(/doc id/);
      });
    });

    describe("archive", () => {
      async function seedResolved() {
        const jan = await store().create(
          P,
          ticket(P, { after: () => [resolved("2025-01-10T10:00:00.000Z")] }),
        );
        const feb = await store().create(
          P,
          ticket(P, { after: () => [resolved("2025-02-20T10:00:00.000Z")] }),
        );
        const open = await store().create(P, ticket(P, { after: () => [started(at(1))] }));
        const late = await store().create(
          P,
          ticket(P, { after: () => [resolved("2025-03-20T10:00:00.000Z")] }),
        );
        return { jan, feb, open, late };
      }

      it("moves tickets resolved before the instant out of the active list, still readable", async () => {
        const { jan, feb, open, late } = await seedResolved();
        expect(await store().archive("2025-03-01T00:00:00.000Z")).toBe(2);
        expect(await store().get(jan.state.number)).toEqual(jan);
        expect(await store().get(feb.state.number)).toEqual(feb);
        expect(numbers((await store().list({ limit: 50 })).items).sort()).toEqual(
          numbers([open, late]).sort(),
        );
        const withArchive = await store().list({ limit: 50, includeArchived: true });
        expect(numbers(withArchive.items)).toEqual(numbers([late, open, feb, jan]));
        const resolvedOnly = await store().list({ limit: 50, includeArchived: true, status: ["resolved"] });
        expect(numbers(resolvedOnly.items)).toEqual(numbers([late, feb, jan]));
        expect(numbers(await listAll(store(), { includeArchived: true }, 1))).toEqual(
          numbers(withArchive.items),
        );
        expect(await store().archive("2025-03-01T00:00:00.000Z")).toBe(0);
      });

      it("lists hot and archived tickets interleaved by creation, the same at every page size", async () => {
        const made: TicketRecord[] = [];
        for (let i = 0; i < 14; i++) {
          const createdAt = at(i * 2 * 24 * 60, "2025-01-01T08:00:00.000Z");
          // Every other ticket is resolved within the hour (archived below); the rest stay open (hot).
          made.push(
            await store().create(
              P,
              ticket(P, {
                created: { at: createdAt },
                after: () => (i % 2 === 1 ? [resolved(at(60, createdAt))] : [started(at(30, createdAt))]),
              }),
            ),
          );
        }
        expect(await store().archive("2025-03-01T00:00:00.000Z")).toBe(7);
        const newestFirst = numbers([...made].reverse());
        for (const size of [1, 2, 5, 50])
          expect(
            numbers(await listAll(store(), { includeArchived: true }, size)),
            `page size ${size}`,
          ).toEqual(newestFirst);
        expect(numbers(await listAll(store(), { includeArchived: true, status: ["resolved"] }, 3))).toEqual(
          numbers(made.filter((_, i) => i % 2 === 1).reverse()),
        );
        expect(numbers(await listAll(store(), {}, 4))).toEqual(
          numbers(made.filter((_, i) => i % 2 === 0).reverse()),
        );
      });

      it("keeps archived tickets across a reopen", async () => {
        const { jan, feb } = await seedResolved();
        await store().archive("2025-03-01T00:00:00.000Z");
        await fx.reopen();
        expect(await store().get(jan.state.number)).toEqual(jan);
        expect(await store().get(feb.state.number)).toEqual(feb);
        expect(numbers((await store().list({ limit: 50 })).items)).not.toContain(jan.state.number);
        expect(numbers((await store().list({ limit: 50, includeArchived: true })).items)).toContain(
          jan.state.number,
        );
      });

      it("moves an archived ticket back to the active set when it changes", async () => {
        const { jan } = await seedResolved();
        await store().archive("2025-03-01T00:00:00.000Z");
        await fx.reopen();
        const n = jan.state.number;
        await expect(store().append(n, 1, [reopened(at(100))])).rejects.toBeInstanceOf(StaleWriteError);
        const back = await store().append(n, 2, [reopened(at(100))]);
        expect(back.state.status).toBe("in_progress");
        expect(back.events).toEqual([...jan.events, reopened(at(100))]);
        expect(numbers((await store().list({ limit: 50 })).items)).toContain(n);
        const withArchive = numbers((await store().list({ limit: 50, includeArchived: true })).items);
        expect(withArchive.filter((x) => x === n)).toHaveLength(1);
        await fx.reopen();
        expect(await store().get(n)).toEqual(back);
        // resolved again, it can be archived again
        const again = await store().append(n, 3, [resolved("2025-02-25T00:00:00.000Z")]);
        expect(await store().archive("2025-03-01T00:00:00.000Z")).toBe(1);
        expect(await store().get(n)).toEqual(again);
      });

      it("lets exactly one of two concurrent appends to an archived ticket win", async () => {
        const { jan } = await seedResolved();
        await store().archive("2025-03-01T00:00:00.000Z");
        await fx.reopen();
        const results = await Promise.allSettled([
          store().append(jan.state.number, 2, [reopened(at(100), "first")]),
          store().append(jan.state.number, 2, [reopened(at(100), "second")]),
        ]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        expect(lost.reason).toBeInstanceOf(StaleWriteError);
        expect((await store().get(jan.state.number))!.state.seq).toBe(3);
      });
    });

    it("keeps everything across close and reopen", async () => {
      const created = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          store().create(
            i % 2 ? P : "202504",
            ticket(i % 2 ? P : "202504", {
              created: { owner: i % 3 ? "bob" : "carol" },
              outbox: (n) => [intent(`c-${n}`, { ticket: n, notBefore: at(i) })],
            }),
          ),
        ),
      );
      for (const [i, r] of created.entries()) {
        if (i % 3 === 0)
          await store().append(r.state.number, 1, [resolved(`2025-01-${10 + (i % 10)}T00:00:00Z`)]);
        else if (i % 3 === 1)
          await store().append(
            r.state.number,
            1,
            [started(at(i)), commented(at(i + 1), "x")],
            [intent(`a-${i}`)],
          );
      }
      await store().settleOutbox(`c-${created[0]!.state.number}`, { deliveredAt: at(5) });
      await store().settleOutbox(`c-${created[1]!.state.number}`, { retryAt: at(50), error: "timeout" });
      expect(await store().archive("2025-01-15T00:00:00Z")).toBeGreaterThan(0);

      const snapshot = async () => ({
        records: await Promise.all(created.map((r) => store().get(r.state.number))),
        active: await listAll(store(), {}, 7),
        all: await listAll(store(), { includeArchived: true }, 7),
        bob: await listAll(store(), { owner: "bob", includeArchived: true }, 4),
        due: await store().dueOutbox(FAR_FUTURE, 100),
      });
      const before = await snapshot();
      expect(before.all).toHaveLength(30);
      expect(before.active.length).toBeLessThan(30);
      await fx.reopen();
      expect(await snapshot()).toEqual(before);
      await fx.reopen();
      expect(await snapshot()).toEqual(before);
      const next = await store().create(P, ticket(P));
      expect(next.state.number).toBe(numberOf(P, 16));
    });
  });
}
