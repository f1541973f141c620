import { describe, expect, it } from "vitest";
import { en } from "../../cards/i18n/en.ts";
import { zhCN } from "../../cards/i18n/zh-CN.ts";
import { callbackValueSchema, inboundCallbackSchema } from "../../cards/model/actions.ts";
import type { CardContext } from "../../cards/model/context.ts";
import { type Button, type Card, ticketCard } from "../../cards/model/index.ts";
import { slaOf } from "../../cards/model/sla.ts";
import { CARD_CASES } from "../../cards/preview/cases.ts";
import {
  SAMPLE_NOW,
  sampleBoardLink,
  sampleBusinessTime,
  sampleDirectory,
  sampleView,
} from "../../cards/preview/samples.ts";
import type { Locale } from "../../core/i18n/locale.ts";

const directory = sampleDirectory();
const ctx = (viewer?: string, extra: Partial<CardContext> = {}, locale: Locale = "en"): CardContext => ({
  directory,
  locale,
  now: SAMPLE_NOW,
  boardLink: sampleBoardLink,
  ...(viewer ? { viewer: directory.person(viewer)! } : {}),
  ...extra,
});

const buttons = (card: Card): Button[] => card.blocks.flatMap((b) => (b.kind === "actions" ? b.buttons : []));
const ids = (card: Card) => buttons(card).map((b) => b.id);

describe("ticket card buttons follow the status (transitions) and the viewer (permissions)", () => {
  it("a shared card of an unowned pending ticket offers claim, start, resolve and the board", () => {
    expect(ids(ticketCard(sampleView("unclaimed"), ctx()))).toEqual(["claim", "start", "resolve", "board"]);
  });

  it("the owner of a ticket in progress may resolve it, not claim or nudge themself", () => {
    expect(ids(ticketCard(sampleView("working"), ctx("eng-wu")))).toEqual(["resolve", "board"]);
  });

  it("an agent outside the department may only nudge and open the board", () => {
    expect(ids(ticketCard(sampleView("working"), ctx("agent-amy")))).toEqual(["nudge", "board"]);
  });

  it("the department head may also reassign to a member other than the owner", () => {
    const card = ticketCard(sampleView("late"), ctx("head-tech"));
    expect(ids(card)).toEqual(["claim", "resolve", "nudge", "assign", "board"]);
    const assign = buttons(card).find((b) => b.id === "assign")!;
    expect(assign.does.kind === "form" && assign.does.form.inputs[0]!.options!.map((o) => o.value)).toEqual([
      "head-tech",
      "eng-liu",
      "eng-emma",
    ]);
  });

  it("a resolved ticket offers reopen to the first-contact agent and nothing to an outsider", () => {
    expect(ids(ticketCard(sampleView("done"), ctx("agent-zhou")))).toEqual(["reopen", "board"]);
    expect(ids(ticketCard(sampleView("done"), ctx("eng-he")))).toEqual(["board"]);
  });

  it("every button calls back with action, ticket number and the version the card showed", () => {
    for (const c of CARD_CASES) {
      const card = c.build("en");
      for (const b of buttons(card)) {
        if (b.does.kind === "link") {
          expect(b.does.url.startsWith("https://closeloop.example.test/board/")).toBe(true);
          continue;
        }
        const value = callbackValueSchema.parse(b.does.value);
        if (c.name !== "digest") expect(value.version).toBeGreaterThan(0);
        expect(value.ticket).toMatch(/^CS\d+$/);
      }
    }
    const view = sampleView("late");
    const claim = buttons(ticketCard(view, ctx("head-tech")))[0]!;
    expect(claim.does).toEqual({
      kind: "callback",
      value: { action: "claim", ticket: view.number, version: view.version },
    });
  });

  it("inbound parsing keeps form inputs beside the value and refuses a value without a version", () => {
    const clicked = { action: "resolve", ticket: "CS202611190012", version: 3, solution: "已退款" };
    expect(inboundCallbackSchema.parse(clicked)).toEqual(clicked);
    expect(inboundCallbackSchema.safeParse({ action: "resolve", ticket: "CS202611190012" }).success).toBe(
      false,
    );
    expect(inboundCallbackSchema.safeParse({ action: "drop", ticket: "x", version: 1 }).success).toBe(false);
  });

  it("a form button opens in place when asked (openForm) and asks for it otherwise", () => {
    const closed = ticketCard(sampleView("working"), ctx("eng-wu"));
    const resolve = buttons(closed).find((b) => b.id === "resolve")!;
    expect(resolve.does.kind === "form" && resolve.does.value).toEqual({
      action: "resolve",
      ticket: "CS202611190012",
      version: 3,
      form: "open",
    });
    const open = ticketCard(sampleView("working"), ctx("eng-wu"), { openForm: "resolve_form" });
    expect(ids(open)).toEqual(["board"]);
    const form = open.blocks.find((b) => b.kind === "form");
    expect(form?.kind === "form" && form.form.submit.value).toEqual({
      action: "resolve",
      ticket: "CS202611190012",
      version: 3,
    });
  });
});

describe("SLA state from the deadlines and now", () => {
  it("time left, in elapsed time without a calendar", () => {
    const sla = slaOf(sampleView("working"), ctx());
    expect(sla).toMatchObject({ state: "ok", target: "resolution", business: false, ms: 28 * 3_600_000 });
  });

  it("overdue by, in business time with a calendar (and elapsed without)", () => {
    const view = sampleView("late");
    expect(slaOf(view, ctx(undefined, { businessTime: sampleBusinessTime }))).toMatchObject({
      state: "overdue",
      target: "resolution",
      ms: 5.5 * 3_600_000,
      business: true,
    });
    expect(slaOf(view, ctx())).toMatchObject({ state: "overdue", ms: 6 * 3_600_000, business: false });
  });

  it("an open first-response deadline counts before the resolution one; resolved tickets have none", () => {
    expect(slaOf(sampleView("unclaimed"), ctx())).toMatchObject({
      state: "overdue",
      target: "firstResponse",
      ms: 3_600_000,
    });
    expect(slaOf(sampleView("done"), ctx())).toEqual({ state: "done" });
  });

  it("under two hours left is 'soon'", () => {
    const soon = new Date(Date.parse(sampleView("working").due.resolution!) - 90 * 60_000);
    expect(slaOf(sampleView("working"), ctx(undefined, { now: soon })).state).toBe("soon");
  });
});

describe("everything a person reads exists in zh-CN and en", () => {
  it("both tables have the same keys, none empty, and differ where words are involved", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [k, v] of Object.entries(en)) {
      if (k !== "duration.join") expect(v.trim(), k).not.toBe("");
      expect((zhCN as Record<string, string>)[k]!.match(/\{\w+\}/g)?.sort(), k).toEqual(
        v.match(/\{\w+\}/g)?.sort(),
      );
    }
  });

  it("each card reads in the locale it was built for", () => {
    for (const c of CARD_CASES) {
      const zh = JSON.stringify(c.build("zh-CN"));
      const english = JSON.stringify(c.build("en"));
      expect(zh, c.name).not.toBe(english);
      expect(c.build("zh-CN").header.title, c.name).toMatch(/[\u4e00-\u9fff]/);
      expect(c.build("en").header.title, c.name).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
