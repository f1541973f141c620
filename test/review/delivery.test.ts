import { afterEach, describe, expect, it } from "vitest";
import type { Closeloop } from "../../main.ts";
import { startHarness as startDingTalk } from "../dingtalk/support/harness.ts";
import { startHarness as startFeishu } from "../feishu/harness.ts";
import type { ManualClock } from "../support/manual-clock.ts";
import { cardOf, textOf } from "../teams/cards.ts";
import { AAD, startTeamsWorld } from "../teams/support.ts";

const WEDNESDAY_W47 = "2026-11-18T02:00:00.000Z";
const MONDAY_W48_10 = "2026-11-23T02:00:00.000Z";

/** Two tickets for technical support in 2026-W47, then Monday's review queued (twice: once is what counts). */
async function weekThenReview(cl: Closeloop, clock: ManualClock, drain: () => Promise<void>) {
  clock.set(WEDNESDAY_W47);
  const agent = { actor: "agent-li", via: "api" } as const;
  await cl.service.create(agent, { description: "X200 无法开机", department: "tech" });
  await cl.service.create(agent, { description: "X200 屏幕不亮", department: "tech" });
  await drain();
  clock.set(MONDAY_W48_10);
  expect(await cl.reviews.sendDue()).toBeGreaterThanOrEqual(1);
  await drain();
  expect(await cl.reviews.sendDue()).toBe(0);
  await drain();
  expect(
    (await cl.store.dueOutbox("9999-01-01T00:00:00.000Z", 100)).filter((r) => r.kind === "weekly_review"),
  ).toEqual([]);
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe("the weekly review card reaches the department head on every platform", () => {
  it("Feishu: one interactive card in the head's 1:1 chat", async () => {
    const h = await startFeishu();
    stops.push(() => h.stop());
    await weekThenReview(h.cl, h.clock, () => h.drain());
    const cards = h.emu
      .messagesIn(h.emu.p2pChat(h.ids.head).chat_id)
      .filter((m) => m.msg_type === "interactive" && m.content.includes("每周复盘"));
    expect(cards).toHaveLength(1);
    const card = JSON.parse(cards[0]!.content);
    expect(card.header.title.content).toBe("每周复盘 2026-W47");
    expect(JSON.stringify(card)).toContain("按时");
  });

  it("DingTalk: one card in the head's 1:1 chat with the robot", async () => {
    const h = await startDingTalk();
    stops.push(() => h.close());
    await weekThenReview(h.cl, h.clock, () => h.drain());
    const reviews = [...h.emu.cards.values()].filter(
      (c) => c.spaces.includes("IM_ROBOT.u_zhang") && JSON.stringify(c.cardParamMap).includes("每周复盘"),
    );
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.cardParamMap.title).toContain("2026-W47");
  });

  it("Teams: one Adaptive Card in the head's personal chat", async () => {
    const w = await startTeamsWorld();
    stops.push(() => w.stop());
    await weekThenReview(w.cl, w.clock, () => w.drain());
    const personal = `a:1${AAD.head.replace(/-/g, "")}`;
    const reviews = w.emulator.connector
      .botActivities(personal)
      .filter((a) => textOf(cardOf(a)).includes("每周复盘"));
    expect(reviews).toHaveLength(1);
    expect(textOf(cardOf(reviews[0]))).toContain("2026-W47");
  });
});
