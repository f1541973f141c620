import { afterEach, describe, expect, it } from "vitest";
import { GroupRateLimit } from "../../adapters/dingtalk/outbound.ts";
import { ManualClock } from "../support/manual-clock.ts";
import { GROUP, type Harness, startHarness, waitFor } from "./support/harness.ts";

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

describe("DingTalk outbound limits", () => {
  it("keeps a group under 20 robot posts a minute and says when to come back", () => {
    const clock = new ManualClock("2026-11-23T02:00:00.000Z");
    const limit = new GroupRateLimit(clock);
    for (let i = 0; i < 20; i++) {
      expect(limit.take("g")).toBe(0);
      clock.advance(1000);
    }
    expect(limit.take("g")).toBe(40_000);
    expect(limit.take("other")).toBe(0);
    clock.advance(40_000);
    expect(limit.take("g")).toBe(0);
  });

  it("combines several overdue alerts for one head into one digest card", async () => {
    const h = await startHarness();
    open.push(h);
    await h.platform.start();
    await waitFor("a stream connection", () => h.emu.gateway.liveConnections === 1);
    for (const text of ["新工单 A 无法开机", "新工单 B 屏幕碎裂", "新工单 C 充不进电"]) {
      const m = h.emu.robotMessage({ conversationId: GROUP, senderUserId: "u_li", text });
      await waitFor("the ack", () => m.frame.acked);
    }
    await h.drain();
    expect((await h.cl.store.list({ limit: 10 })).items).toHaveLength(3);
    const before = h.emu.cards.size;
    const due = Math.max(
      ...(await h.cl.store.list({ limit: 10 })).items.map((r) => Date.parse(r.state.due.firstResponse!)),
    );
    h.clock.set(due + 60_000);
    await h.cl.scheduler.sweep();
    await h.drain();
    const alerts = [...h.emu.cards.values()]
      .slice(before)
      .filter((c) => c.spaces.includes("IM_ROBOT.u_zhang"));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.cardParamMap.title).toContain("3");
  });
});
