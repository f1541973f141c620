import { DWClient } from "dingtalk-stream";
import { afterEach, describe, expect, it } from "vitest";
import { DingTalkEmulator } from "../../adapters/dingtalk/emulator/index.ts";
import { GatewayClient, GatewayConnection } from "../../adapters/dingtalk/stream.ts";
import { TOPIC_CARD, TOPIC_ROBOT } from "../../adapters/dingtalk/wire.ts";
import { createLogger } from "../../adapters/log/logger.ts";
import type { Timers } from "../../core/timers.ts";
import { CLIENT, GROUP, waitFor } from "./support/harness.ts";

/** Timers that fire only when the test says so. */
class ManualTimers implements Timers {
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  #next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fireAll(): number[] {
    const due = [...this.pending];
    this.pending.clear();
    for (const [, t] of due) t.fn();
    return due.map(([, t]) => t.ms);
  }
}

const logs: string[] = [];
const logger = createLogger({ destination: { write: (l: string) => logs.push(l) } });
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  logs.length = 0;
});

async function emulator() {
  const emu = new DingTalkEmulator({
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    groups: [{ openConversationId: GROUP, title: "g" }],
    redeliverAfterMs: 200,
  });
  await emu.start();
  stops.push(() => emu.stop());
  return emu;
}

function connection(emu: DingTalkEmulator, timers?: Timers) {
  const client = new GatewayClient({
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    apiBase: emu.url,
    logger,
  });
  const conn = new GatewayConnection(client, logger, {
    timers,
    policy: { baseMs: 100, maxMs: 1600, random: () => 0.5 },
  });
  stops.push(() => conn.stop());
  return { client, conn };
}

describe("dingtalk-stream 2.1.5 as closeloop uses it", () => {
  it("reaches the local gateway by overriding getEndpoint: POST with Accept json, one-shot ticket, keep-alive on", async () => {
    const emu = await emulator();
    const { client, conn } = connection(emu);
    await conn.start();
    expect(conn.state).toBe("connected");
    expect(emu.calls["POST /v1.0/gateway/connections/open"]).toBe(1);
    expect(client.getConfig().keepAlive).toBe(true);
    // The ticket it used is spent: a second handshake with it is refused.
    const used = [...emu.gateway.tickets.values()];
    expect(used.every((t) => t.used)).toBe(true);
    expect(await emu.gateway.ping()).toBe(true);
  });

  it("bug: the SDK's default subscription list is shared by all clients; ours are not", () => {
    const a = new DWClient({ clientId: "a", clientSecret: "a" });
    const b = new DWClient({ clientId: "b", clientSecret: "b" });
    a.registerCallbackListener("/topic/only-for-a", () => undefined);
    // The bug, as shipped: b now subscribes to a's topic too.
    expect(b.getConfig().subscriptions.map((s) => s.topic)).toContain("/topic/only-for-a");
    const x = new GatewayClient({
      clientId: "x",
      clientSecret: "x",
      apiBase: "http://127.0.0.1:1",
      logger,
    });
    const y = new GatewayClient({
      clientId: "y",
      clientSecret: "y",
      apiBase: "http://127.0.0.1:1",
      logger,
    });
    x.registerCallbackListener(TOPIC_CARD, () => undefined);
    expect(x.getConfig().subscriptions.map((s) => s.topic)).toEqual(["*", TOPIC_CARD]);
    expect(y.getConfig().subscriptions.map((s) => s.topic)).toEqual(["*"]);
  });

  it("bug: no reconnect storm after failed handshakes — one timer at a time, bounded backoff, none after stop", async () => {
    const emu = await emulator();
    emu.gateway.refuseUpgrades = true;
    const timers = new ManualTimers();
    const { conn } = connection(emu, timers);
    await conn.start();
    expect(conn.state).toBe("reconnecting");
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(timers.pending.size).toBe(1);
      delays.push(...timers.fireAll());
      await waitFor("the attempt", () => emu.gateway.refusedUpgrades === i + 2);
      await waitFor("its timer", () => timers.pending.size === 1);
    }
    expect(emu.calls["POST /v1.0/gateway/connections/open"]).toBe(7);
    expect(delays).toEqual([100, 200, 400, 800, 1600, 1600].map((d) => d * 0.75));
    await conn.stop();
    expect(timers.pending.size).toBe(0);
    emu.gateway.refuseUpgrades = false;
    expect(emu.calls["POST /v1.0/gateway/connections/open"]).toBe(7);
    // One log line per state change, not one per failure.
    expect(logs.filter((l) => l.includes("reconnecting"))).toHaveLength(1);
  });

  it("bug: a malformed frame does not stop the connection", async () => {
    const emu = await emulator();
    const { client, conn } = connection(emu);
    const seen: string[] = [];
    client.registerCallbackListener(TOPIC_ROBOT, (f) => {
      seen.push(f.headers.messageId);
      client.socketCallBackResponse(f.headers.messageId, {});
    });
    await conn.start();
    emu.gateway.sendRaw("this is not JSON");
    emu.gateway.sendRaw(JSON.stringify({ type: "CALLBACK", data: "{}" }));
    emu.gateway.sendRaw(JSON.stringify({ type: "SYSTEM" }));
    const m = emu.robotMessage({ conversationId: GROUP, senderUserId: "u1", text: "hi" });
    await waitFor("the ack", () => m.frame.acked);
    expect(seen).toEqual([m.frame.messageId]);
    expect(client.dropped).toBe(3);
    expect(conn.state).toBe("connected");
  });

  it("reconnects at once with a new ticket on the gateway's disconnect notice, and after a dropped socket", async () => {
    const emu = await emulator();
    const { conn } = connection(emu);
    await conn.start();
    emu.gateway.disconnect("upgrade");
    await waitFor("a second connection", () => conn.connects === 2 && emu.gateway.liveConnections === 1);
    expect(emu.calls["POST /v1.0/gateway/connections/open"]).toBe(2);
    emu.gateway.drop();
    await waitFor("a third connection", () => conn.connects === 3 && emu.gateway.liveConnections === 1);
    expect(emu.gateway.connectionsOpened).toBe(3);
  });

  it("an unacknowledged callback is redelivered until acknowledged", async () => {
    const emu = await emulator();
    const { client, conn } = connection(emu);
    let calls = 0;
    client.registerCallbackListener(TOPIC_ROBOT, (f) => {
      calls++;
      if (calls === 2) client.socketCallBackResponse(f.headers.messageId, {});
    });
    await conn.start();
    const m = emu.robotMessage({ conversationId: GROUP, senderUserId: "u1", text: "hi" });
    await waitFor("the ack", () => m.frame.acked);
    expect(m.frame.deliveries).toBe(2);
  });
});
