import { EventDispatcher, LoggerLevel, WSClient } from "@larksuiteoapi/node-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { FeishuEmulator } from "../../adapters/feishu/emulator/index.ts";

const quiet = { error() {}, warn() {}, info() {}, debug() {}, trace() {} };
let emu: FeishuEmulator | undefined;
const clients: WSClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close({ force: true });
  await emu?.stop();
});

async function waitFor(ok: () => boolean) {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
}

function connect(e: FeishuEmulator, seen: string[]) {
  const handlers = {
    "card.action.trigger": async (d: { event_id: string }) => {
      seen.push(d.event_id);
      return { toast: { type: "info", content: d.event_id } };
    },
  };
  const dispatcher = new EventDispatcher({ logger: quiet, loggerLevel: LoggerLevel.error }).register(
    handlers as Parameters<EventDispatcher["register"]>[0],
  );
  const client = new WSClient({
    appId: e.appId,
    appSecret: e.appSecret,
    domain: e.url,
    logger: quiet,
    loggerLevel: LoggerLevel.error,
  });
  clients.push(client);
  void client.start({ eventDispatcher: dispatcher });
}

describe("the local Feishu's long connection, with the SDK's WSClient", () => {
  it("gives each event to exactly one of several clients, in chunks, acked with the handler's answer", async () => {
    emu = new FeishuEmulator();
    await emu.start();
    emu.mode = "ws";
    emu.wsParts = 3;
    const a: string[] = [];
    const b: string[] = [];
    connect(emu, a);
    connect(emu, b);
    await waitFor(() => emu!.ws.connected === 2);
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const env = emu.envelope("card.action.trigger", {
        operator: { open_id: "ou_x" },
        action: { value: { i } },
      });
      const id = (env.header as { event_id: string }).event_id;
      ids.push(id);
      const answer = await emu.push(env, {}, false);
      expect(answer).toEqual({ status: 200, body: { toast: { type: "info", content: id } } });
    }
    expect([...a, ...b].sort()).toEqual([...ids].sort());
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    // Pings were answered with pongs carrying the client config.
    expect(emu.ws.received.some((f) => f.method === 0 && f.headers.some((h) => h.value === "ping"))).toBe(
      true,
    );
  });

  it("after the server drops the connection the SDK asks the endpoint again and reconnects", async () => {
    emu = new FeishuEmulator();
    await emu.start();
    emu.mode = "ws";
    const seen: string[] = [];
    connect(emu, seen);
    await waitFor(() => emu!.ws.connected === 1);
    emu.ws.dropAll();
    const endpoint = () => emu!.requests.filter((r) => r.path === "/callback/ws/endpoint").length;
    await waitFor(() => endpoint() >= 2 && emu!.ws.connected === 1);
    const env = emu.envelope("card.action.trigger", { operator: { open_id: "ou_x" }, action: { value: {} } });
    expect((await emu.push(env, {}, false)).status).toBe(200);
    expect(seen).toHaveLength(1);
  });
});
