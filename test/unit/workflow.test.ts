import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isDomainError } from "../../core/errors.ts";
import { FieldCipher } from "../../core/privacy/cipher.ts";
import { sealText } from "../../core/privacy/seal.ts";
import type { TicketCommand } from "../../core/ticket/commands.ts";
import { type DecideContext, decide } from "../../core/ticket/decide.ts";
import type { CreatedEvent, TicketEvent } from "../../core/ticket/events.ts";
import { fold } from "../../core/ticket/state.ts";
import { movesFrom } from "../../core/ticket/transitions.ts";
import { demoCreated, demoDirectory } from "../support/directory.ts";

const dir = demoDirectory();
const cipher = new FieldCipher(randomBytes(32));
const T0 = Date.parse("2026-11-23T02:00:00Z");

const created = (over: Partial<CreatedEvent> = {}): CreatedEvent => demoCreated(over);

function ctx(actor: string, minutes = 1): DecideContext {
  return {
    actor: dir.person(actor)!,
    directory: dir,
    now: new Date(T0 + minutes * 60_000).toISOString(),
    via: "api",
    nudgeWindowMs: 30 * 60_000,
    sealText: (t) => sealText(cipher, t),
    businessMsSince: (from) => T0 + minutes * 60_000 - Date.parse(from),
    lowScore: 3,
  };
}

class Ticket {
  events: TicketEvent[];
  constructor(first: CreatedEvent = created()) {
    this.events = [first];
  }
  get state() {
    return fold(this.events);
  }
  run(actor: string, cmd: TicketCommand, minutes = 1) {
    const out = decide({ state: this.state, events: this.events }, cmd, ctx(actor, minutes));
    this.events.push(...out);
    return out;
  }
  refuse(actor: string, cmd: TicketCommand, minutes = 1) {
    const before = this.events.length;
    try {
      this.run(actor, cmd, minutes);
    } catch (e) {
      expect(this.events.length).toBe(before);
      if (isDomainError(e)) return e;
      throw e;
    }
    throw new Error(`${cmd.name} by ${actor} was not refused`);
  }
}

describe("workflow", () => {
  it("walks pending -> in progress -> resolved -> in progress, each a material version", () => {
    const t = new Ticket();
    expect(t.state).toMatchObject({ status: "pending", version: 1 });
    t.run("eng-liu", { name: "start", version: 1 });
    expect(t.state).toMatchObject({ status: "in_progress", owner: "eng-liu", version: 3 });
    t.run("eng-liu", { name: "resolve", version: 3, solution: "更换电源板" });
    expect(t.state).toMatchObject({ status: "resolved", solution: "更换电源板", version: 4 });
    t.run("agent-li", { name: "reopen", version: 4, reason: "客户反馈仍无法开机" });
    expect(t.state).toMatchObject({ status: "in_progress", reopenReason: "客户反馈仍无法开机", version: 5 });
    expect(t.state.resolvedAt).toBeUndefined();
  });

  it("allows pending -> resolved only with a solution (the schema requires it)", () => {
    const t = new Ticket();
    t.run("eng-liu", { name: "resolve", version: 1, solution: "知识库已答复" });
    expect(t.state.status).toBe("resolved");
  });

  it("refuses any other transition and names the current status", () => {
    const t = new Ticket();
    const e = t.refuse("eng-liu", { name: "reopen", version: 1, reason: "x" });
    expect(e.code).toBe("invalid_transition");
    expect(e.text.en).toContain("pending");
    expect(e.text["zh-CN"]).toContain("待处理");
    t.run("eng-liu", { name: "start", version: 1 });
    const again = t.refuse("eng-liu", { name: "start", version: 3 });
    expect(again.text.en).toContain("in progress");
  });

  it("lists the moves open from each status", () => {
    expect(movesFrom("pending")).toEqual(["start", "resolve"]);
    expect(movesFrom("in_progress")).toEqual(["resolve"]);
    expect(movesFrom("resolved")).toEqual(["reopen"]);
  });

  it("refuses a stale version with who changed what", () => {
    const t = new Ticket();
    t.run("eng-liu", { name: "claim", version: 1 });
    const e = t.refuse("eng-sun", { name: "start", version: 1 });
    expect(e.code).toBe("conflict");
    expect(e.text["zh-CN"]).toContain("刘洋");
    expect(e.details.changes).toEqual([expect.objectContaining({ actor: "eng-liu", change: "assigned" })]);
  });

  it("does not bump the version for comments and nudges", () => {
    const t = new Ticket(created({ owner: "eng-liu" }));
    t.run("agent-li", { name: "comment", text: "客户又来电了" });
    t.run("agent-li", { name: "nudge" });
    expect(t.state.version).toBe(1);
    expect(t.state.seq).toBe(3);
  });
});

describe("permissions", () => {
  it("lets engineers move only tickets of their departments", () => {
    const t = new Ticket();
    expect(t.refuse("eng-wu", { name: "start", version: 1 }).code).toBe("forbidden");
    expect(t.refuse("agent-li", { name: "start", version: 1 }).code).toBe("forbidden");
    t.run("eng-sun", { name: "start", version: 1 });
  });

  it("lets a head reassign within the department, not an engineer, and not outside it", () => {
    const t = new Ticket();
    expect(t.refuse("eng-liu", { name: "assign", version: 1, owner: "eng-sun" }).code).toBe("forbidden");
    expect(t.refuse("head-returns", { name: "assign", version: 1, owner: "eng-sun" }).code).toBe("forbidden");
    const outside = t.refuse("head-tech", { name: "assign", version: 1, owner: "eng-wu" });
    expect(outside.code).toBe("validation");
    expect(outside.text.en).toContain("not a member");
    t.run("head-tech", { name: "assign", version: 1, owner: "eng-sun" });
    expect(t.state.owner).toBe("eng-sun");
  });

  it("lets anyone in the organisation nudge, once per window, saying who nudged last", () => {
    const t = new Ticket(created({ owner: "eng-liu" }));
    t.run("agent-zhou", { name: "nudge" }, 5);
    const e = t.refuse("eng-he", { name: "nudge" }, 10);
    expect(e.code).toBe("rate_limited");
    expect(e.text["zh-CN"]).toContain("周敏");
    t.run("eng-he", { name: "nudge" }, 36);
    expect(t.state.nudges.count).toBe(2);
  });

  it("reveals contacts only to the owner, the first-contact agent and admins, as an event", () => {
    const t = new Ticket(created({ owner: "eng-liu" }));
    expect(t.refuse("eng-sun", { name: "reveal-contact" }).code).toBe("forbidden");
    expect(t.refuse("head-tech", { name: "reveal-contact" }).code).toBe("forbidden");
    for (const who of ["eng-liu", "agent-li", "admin"]) t.run(who, { name: "reveal-contact" });
    expect(t.events.filter((e) => e.type === "contact_revealed")).toHaveLength(3);
  });
});

describe("free text", () => {
  it("masks a phone typed into a comment and keeps it sealed on the ticket", () => {
    const t = new Ticket(created({ owner: "eng-liu" }));
    t.run("agent-li", { name: "comment", text: "客户新号码 13987654321 请回电" });
    const last = t.events.at(-1)!;
    expect(JSON.stringify(last)).not.toContain("13987654321");
    expect(last.type === "commented" && last.text).toContain("139****4321");
    expect(t.state.contacts.map((c) => c.masked)).toEqual(["139****4321"]);
    expect(cipher.decrypt(t.state.contacts[0]!.cipher)).toBe("13987654321");
  });
});

describe("first response", () => {
  it("is the owner's first act on the ticket", () => {
    const t = new Ticket(created({ owner: "eng-liu" }));
    t.run("agent-li", { name: "comment", text: "催一下" }, 2);
    expect(t.state.firstResponseAt).toBeUndefined();
    t.run("eng-liu", { name: "comment", text: "已联系客户" }, 7);
    expect(t.state.firstResponseAt).toBe(new Date(T0 + 7 * 60_000).toISOString());
  });
});
